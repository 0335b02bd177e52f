import { describe, expect, it } from "vitest";
import { finalizerPatch, hasFinalizer } from "./finalizers.ts";

const F = "aegis.dev/cleanup";

describe("finalizerPatch", () => {
  it.each([
    { why: "add to a missing list", current: undefined, action: "add" as const, want: [{ op: "test", path: "/metadata/finalizers", value: null }, { op: "add", path: "/metadata/finalizers", value: [F] }] },
    { why: "add to a list", current: ["x"], action: "add" as const, want: [{ op: "test", path: "/metadata/finalizers", value: ["x"] }, { op: "add", path: "/metadata/finalizers/-", value: F }] },
    { why: "add when present: nothing", current: ["x", F], action: "add" as const, want: undefined },
    { why: "remove by index", current: ["x", F, "y"], action: "remove" as const, want: [{ op: "test", path: "/metadata/finalizers", value: ["x", F, "y"] }, { op: "remove", path: "/metadata/finalizers/1" }] },
    { why: "remove when absent: nothing", current: ["x"], action: "remove" as const, want: undefined },
    { why: "remove from a missing list: nothing", current: undefined, action: "remove" as const, want: undefined },
  ])("$why", ({ current, action, want }) => {
    expect(finalizerPatch(current, F, action)).toEqual(want);
  });

  it("hasFinalizer", () => {
    expect(hasFinalizer({ metadata: { finalizers: [F] } }, F)).toBe(true);
    expect(hasFinalizer({ metadata: {} }, F)).toBe(false);
  });
});
