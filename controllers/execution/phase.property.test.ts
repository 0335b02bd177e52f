import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXECUTION_PHASES } from "../../src/api/schema/execution.ts";
import { decide } from "./phase.ts";
import { readAgent, readExecutionSpec } from "./spec.ts";
import { executionStatus } from "./status.ts";
import { isTerminal, readExecutionStatus } from "./status-view.ts";

const summary = fc.record({
  number: fc.integer({ min: 1, max: 20 }),
  phase: fc.constantFrom("Running", "Validating", "Succeeded", "Failed"),
  exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  startTime: fc.option(fc.constant("2030-01-01T00:00:00Z"), { nil: undefined }),
}, { requiredKeys: ["number", "phase"] });

const rawStatus = fc.oneof(
  fc.anything(),
  fc.record({
    phase: fc.constantFrom(...EXECUTION_PHASES),
    iteration: fc.integer({ min: 0, max: 20 }),
    iterations: fc.array(summary, { maxLength: 5 }),
    startTime: fc.option(fc.constantFrom("2030-01-01T00:00:00Z", "garbage"), { nil: undefined }),
    score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  }, { requiredKeys: ["phase", "iteration"] }),
);
const rawSpec = fc.oneof(fc.anything(), fc.record({
  agentRef: fc.constant({ name: "agent" }),
  cancel: fc.boolean(),
  maxIterations: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  timeout: fc.option(fc.constantFrom("1s", "10m", "bad"), { nil: undefined }),
}, { requiredKeys: ["agentRef"] }));
const agent = fc.option(fc.record({
  spec: fc.oneof(fc.anything(), fc.constant({ runtime: {}, task: { instruction: "x" }, execution: { mode: "Iterative", maxIterations: 3 } })),
  ready: fc.boolean(),
}), { nil: undefined });
const pod = fc.option(fc.record({
  name: fc.constant("run-1"),
  phase: fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Unknown", ""),
  exitCode: fc.option(fc.integer({ min: -5, max: 300 }), { nil: null }),
  deleting: fc.boolean(),
}), { nil: undefined });
const validation = fc.option(fc.record({
  passed: fc.boolean(), score: fc.double(), confidence: fc.double(), feedback: fc.string(),
}), { nil: undefined });
const now = fc.date({ min: new Date("2029-01-01T00:00:00Z"), max: new Date("2031-01-01T00:00:00Z"), noInvalidDate: true });

describe("decide: properties", () => {
  it("never throws, always yields a valid phase, display and bounded status", () => {
    fc.assert(fc.property(rawSpec, rawStatus, agent, pod, validation, now, (spec, st, ag, p, v, at) => {
      const reading = readExecutionSpec(spec);
      if (!reading.ok) return;
      const a = ag && readAgent("agent", ag.spec, { image: "busybox", conditions: [{ type: "Ready", status: ag.ready ? "True" : "False" }] });
      const d = decide({ name: "run", spec: reading.spec, status: readExecutionStatus(st), agent: a, pod: p, ...(v ? { validation: v } : {}), now: at });
      expect(EXECUTION_PHASES).toContain(d.status.phase);
      expect(d.status.iterationDisplay).toMatch(/^[0-9]{1,2}\/[0-9]{1,2}$/);
      expect(d.status.iteration).toBeLessThanOrEqual(d.status.maxIterations);
      expect(d.status.iterations.length).toBeLessThanOrEqual(20);
      for (const s of d.status.iterations) {
        if (s.score !== undefined) expect(s.score).toBeGreaterThanOrEqual(0);
        expect((s.feedback ?? "").length).toBeLessThanOrEqual(2048);
      }
      expect(() => executionStatus(d)).not.toThrow();
    }));
  });

  it("a terminal phase never changes again, whatever happens", () => {
    fc.assert(fc.property(rawSpec, rawStatus, agent, pod, validation, now, (spec, st, ag, p, v, at) => {
      const reading = readExecutionSpec(spec);
      const status = readExecutionStatus(st);
      if (!reading.ok || !isTerminal(status.phase)) return;
      const a = ag && readAgent("agent", ag.spec, { image: "busybox", conditions: [{ type: "Ready", status: ag.ready ? "True" : "False" }] });
      const d = decide({ name: "run", spec: reading.spec, status, agent: a, pod: p, ...(v ? { validation: v } : {}), now: at });
      expect(d.status.phase).toBe(status.phase);
      expect(["wait", "deletePod"]).toContain(d.action.kind);
    }));
  });
});
