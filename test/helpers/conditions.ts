/** Assertions that a controller's desired conditions are valid Kubernetes Conditions. */
import { expect } from "vitest";
import type { ConditionInput } from "../../src/kube/status-report.ts";

/** apimachinery's Condition.reason pattern. */
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** Each type once, a status of True/False/Unknown, a reason the API accepts, a bounded message. */
export function expectValidConditions(conditions: readonly ConditionInput[], types: readonly string[]): void {
  expect(conditions.map((c) => c.type).sort()).toEqual([...types].sort());
  for (const c of conditions) {
    expect(["True", "False", "Unknown"]).toContain(c.status);
    expect(c.reason).toMatch(REASON);
    expect(c.reason.length).toBeLessThanOrEqual(1024);
    expect(typeof c.message).toBe("string");
    expect(c.message.length).toBeLessThanOrEqual(32768);
  }
}
