import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWatchLine } from "./watch-events.ts";

describe("parseWatchLine", () => {
  it("parses an event", () => {
    const line = JSON.stringify({ type: "MODIFIED", object: { kind: "ConfigMap", metadata: { name: "a", resourceVersion: "5" } } });
    expect(parseWatchLine(line)).toEqual({ kind: "event", type: "MODIFIED", object: { kind: "ConfigMap", metadata: { name: "a", resourceVersion: "5" } } });
  });

  it("delivers BOOKMARK events", () => {
    const line = JSON.stringify({ type: "BOOKMARK", object: { kind: "ConfigMap", metadata: { resourceVersion: "9" } } });
    expect(parseWatchLine(line)).toMatchObject({ kind: "event", type: "BOOKMARK" });
  });

  it("turns an in-stream 410 ERROR into Gone", () => {
    const line = JSON.stringify({ type: "ERROR", object: { kind: "Status", status: "Failure", message: "too old resource version: 1 (20)", reason: "Expired", code: 410 } });
    const parsed = parseWatchLine(line);
    expect(parsed.kind).toBe("error");
    if (parsed.kind === "error") expect([parsed.error.reason, parsed.error.code]).toEqual(["Gone", 410]);
  });

  it.each(["", "{", "[]", "null", JSON.stringify({ type: "ADDED" }), JSON.stringify({ type: "WHAT", object: { metadata: {} } }), JSON.stringify({ type: "ADDED", object: {} })])(
    "skips %j",
    (line) => expect(parseWatchLine(line).kind).toBe("skip"),
  );

  it("never throws on arbitrary lines", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (line) => {
      expect(["event", "error", "skip"]).toContain(parseWatchLine(line).kind);
    }));
  });
});
