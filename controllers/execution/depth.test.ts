import { describe, expect, it } from "vitest";
import { executionDepth } from "./depth.ts";

const run = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ metadata: { name: "r" }, spec, ...(status ? { status } : {}) });

describe("executionDepth", () => {
  it("is 0 for a top-level run", () => {
    expect(executionDepth(run({ agentRef: { name: "a" } }), undefined)).toBe(0);
  });

  it("is the parent's depth + 1 for a spawned run, unknown while the parent's is", () => {
    const child = run({ agentRef: { name: "a" }, parentRef: "p" });
    expect(executionDepth(child, run({}, { depth: 0 }))).toBe(1);
    expect(executionDepth(child, run({}, { depth: 2 }))).toBe(3);
    expect(executionDepth(child, run({}, {}))).toBeUndefined();
    expect(executionDepth(child, undefined)).toBeUndefined();
  });

  it("never goes beyond the schema's bound of 3", () => {
    expect(executionDepth(run({ parentRef: "p" }), run({}, { depth: 3 }))).toBeUndefined();
  });

  it("keeps a depth once written (parentRef is immutable), whatever the parent says now", () => {
    expect(executionDepth(run({ parentRef: "p" }, { depth: 2 }), run({}, { depth: 0 }))).toBe(2);
    expect(executionDepth(run({ parentRef: "p" }, { depth: 2 }), undefined)).toBe(2);
  });

  it("ignores a depth that is not a whole non-negative number", () => {
    expect(executionDepth(run({ parentRef: "p" }), run({}, { depth: "1" }))).toBeUndefined();
    expect(executionDepth(run({ parentRef: "p" }, { depth: -1 }), run({}, { depth: 1.5 }))).toBeUndefined();
  });
});
