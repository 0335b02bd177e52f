import { describe, expect, it } from "vitest";
import { eventId, isUuid, uuidV5 } from "./ids.ts";

describe("uuidV5", () => {
  it("matches the RFC 9562 / Python uuid5 reference for the DNS namespace", () => {
    // python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com"))'
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("rejects a namespace that is not a uuid", () => {
    expect(() => uuidV5("x", "nope")).toThrow(/not a uuid/);
  });
});

describe("eventId", () => {
  it("is deterministic, a version-5 uuid, and differs per iteration and kind", () => {
    const a = eventId("uid-1", 1, "PodStarted");
    expect(a).toBe(eventId("uid-1", 1, "PodStarted"));
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe("5");
    expect(new Set([a, eventId("uid-1", 2, "PodStarted"), eventId("uid-1", 1, "PodEnded"), eventId("uid-2", 1, "PodStarted")]).size).toBe(4);
  });
});
