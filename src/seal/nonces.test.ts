import { describe, expect, it } from "vitest";
import { createNonceCache } from "./nonces.ts";

function cache(capacity = 3) {
  const t = { now: 0 };
  return { t, nonces: createNonceCache({ capacity, retentionMs: 60_000, clock: () => t.now }) };
}

describe("nonce cache", () => {
  it("records a nonce once and calls it replayed until its retention passes", () => {
    const { t, nonces } = cache();
    expect(nonces.record("a")).toBe("fresh");
    t.now = 59_999;
    expect(nonces.record("a")).toBe("replayed");
    t.now = 60_000;
    expect(nonces.record("a")).toBe("fresh");
  });

  it("refuses new nonces when full of live ones, instead of forgetting one", () => {
    const { t, nonces } = cache();
    for (const k of ["a", "b", "c"]) expect(nonces.record(k)).toBe("fresh");
    expect(nonces.record("d")).toBe("full");
    expect(nonces.record("a")).toBe("replayed");
    t.now = 60_000;
    expect(nonces.record("d")).toBe("fresh");
    expect(nonces.size).toBe(1);
  });

  it("expires records in the order they were made", () => {
    const { t, nonces } = cache();
    nonces.record("a");
    t.now = 30_000;
    nonces.record("b");
    t.now = 60_000;
    expect(nonces.record("c")).toBe("fresh");
    expect(nonces.size).toBe(2);
    expect(nonces.record("b")).toBe("replayed");
  });

  it("refuses a capacity that is not positive", () => {
    expect(() => createNonceCache({ capacity: 0, retentionMs: 1, clock: () => 0 })).toThrow();
  });
});
