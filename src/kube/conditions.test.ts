import { describe, expect, it } from "vitest";
import { conditionTime, findCondition, isConditionCurrentAndTrue, removeCondition, setCondition, type Condition } from "./conditions.ts";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T00:05:00.999Z");
const ready = (status: Condition["status"], reason = "Ok", message = "fine"): { type: string; status: Condition["status"]; reason: string; message: string } => ({ type: "Ready", status, reason, message });

describe("setCondition", () => {
  it("adds a missing condition with the transition time and generation", () => {
    const { conditions, changed } = setCondition(undefined, ready("True"), 3, t0);
    expect(changed).toBe(true);
    expect(conditions).toEqual([{ type: "Ready", status: "True", observedGeneration: 3, lastTransitionTime: "2026-01-01T00:00:00Z", reason: "Ok", message: "fine" }]);
  });

  it.each([
    { why: "same everything", update: ready("True"), generation: 3, changed: false, transition: t0 },
    { why: "status changes: the transition time moves", update: ready("False", "Broken"), generation: 3, changed: true, transition: t1 },
    { why: "reason changes only: the transition time stays", update: ready("True", "Other"), generation: 3, changed: true, transition: t0 },
    { why: "message changes only", update: ready("True", "Ok", "finer"), generation: 3, changed: true, transition: t0 },
    { why: "generation changes only: observedGeneration is always set", update: ready("True"), generation: 4, changed: true, transition: t0 },
  ])("$why", ({ update, generation, changed, transition }) => {
    const first = setCondition([], ready("True"), 3, t0).conditions;
    const result = setCondition(first, update, generation, t1);
    expect(result.changed).toBe(changed);
    const c = findCondition(result.conditions, "Ready");
    expect(c).toMatchObject({ status: update.status, reason: update.reason, message: update.message, observedGeneration: generation });
    expect(c?.lastTransitionTime).toBe(conditionTime(transition));
  });

  it("leaves other condition types and the input array alone", () => {
    const input = setCondition(setCondition([], ready("True"), 1, t0).conditions, { type: "Accepted", status: "True", reason: "A", message: "" }, 1, t0).conditions;
    const copy = structuredClone(input);
    const result = setCondition(input, ready("False", "Bad"), 1, t1);
    expect(input).toEqual(copy);
    expect(result.conditions.map((c) => c.type)).toEqual(["Ready", "Accepted"]);
    expect(findCondition(result.conditions, "Accepted")).toEqual(findCondition(input, "Accepted"));
  });
});

describe("removeCondition and isConditionCurrentAndTrue", () => {
  it("removes and reports", () => {
    const list = setCondition([], ready("True"), 2, t0).conditions;
    expect(removeCondition(list, "Ready")).toEqual({ conditions: [], changed: true });
    expect(removeCondition(list, "Other").changed).toBe(false);
  });

  it("treats a condition of an older generation as stale", () => {
    const list = setCondition([], ready("True"), 2, t0).conditions;
    expect(isConditionCurrentAndTrue(list, "Ready", 2)).toBe(true);
    expect(isConditionCurrentAndTrue(list, "Ready", 3)).toBe(false);
  });
});
