import { describe, expect, it } from "vitest";
import { planStatus, type DesiredStatus } from "./status-report.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:05:00Z");
const ready = (status: "True" | "False", reason: string, message = "m") => ({ type: "Ready", status, reason, message });
const want = (cond: ReturnType<typeof ready>, fields: Record<string, unknown> = {}): DesiredStatus => ({ conditions: [cond], fields });
const current = (cond: ReturnType<typeof ready>, extra: Record<string, unknown> = {}) => ({
  observedGeneration: 1, conditions: [{ ...cond, observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }], ...extra,
});

describe("planStatus", () => {
  it.each([
    { reason: "no status yet: write, one transition", cur: undefined, desired: want(ready("True", "Ok")), gen: 1, changed: true, transitions: ["Ok"] },
    { reason: "the same status: no write, no event", cur: current(ready("True", "Ok")), desired: want(ready("True", "Ok")), gen: 1, changed: false, transitions: [] },
    { reason: "a new generation alone is written, without an event", cur: current(ready("True", "Ok")), desired: want(ready("True", "Ok")), gen: 2, changed: true, transitions: [] },
    { reason: "a new message is written, without an event", cur: current(ready("True", "Ok")), desired: want(ready("True", "Ok", "other")), gen: 1, changed: true, transitions: [] },
    { reason: "a quiet reason changes status without an event", cur: current(ready("True", "A")), desired: { ...want(ready("True", "Brief")), quietReasons: ["Brief"] }, gen: 1, changed: true, transitions: [] },
    { reason: "a new reason is a transition", cur: current(ready("False", "A")), desired: want(ready("False", "B")), gen: 1, changed: true, transitions: ["B"] },
    { reason: "an owned field changed", cur: current(ready("True", "Ok"), { image: "a/b" }), desired: want(ready("True", "Ok"), { image: "a/c" }), gen: 1, changed: true, transitions: [] },
    { reason: "an owned field to remove", cur: current(ready("True", "Ok"), { image: "a/b" }), desired: want(ready("True", "Ok"), { image: undefined }), gen: 1, changed: true, transitions: [] },
    { reason: "a condition other than Ready turning True is no event", cur: undefined, desired: want({ ...ready("True", "Fine"), type: "Accepted" }), gen: 1, changed: true, transitions: [] },
    { reason: "an absent field staying absent", cur: current(ready("True", "Ok")), desired: want(ready("True", "Ok"), { image: undefined }), gen: 1, changed: false, transitions: [] },
  ])("$reason", ({ cur, desired, gen, changed, transitions }) => {
    const plan = planStatus(cur, desired, gen, t1);
    expect(plan.changed).toBe(changed);
    expect(plan.transitions.map((c) => c.reason)).toEqual(transitions);
    expect(plan.status.observedGeneration).toBe(gen);
  });

  it("sends only its own conditions and keeps the transition time when status holds", () => {
    const cur = { conditions: [...current(ready("True", "Ok")).conditions, { type: "Other", status: "True", reason: "X", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }] };
    const plan = planStatus(cur, want(ready("True", "Ok2")), 1, t1);
    expect(plan.status.conditions).toEqual([{ type: "Ready", status: "True", reason: "Ok2", message: "m", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }]);
    expect(planStatus(undefined, want(ready("True", "Ok")), 1, t0).status.conditions).toMatchObject([{ lastTransitionTime: "2026-01-01T00:00:00Z" }]);
  });
});
