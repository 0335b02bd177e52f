import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ValidatorResult } from "../../src/validators/index.ts";
import { countByPhase, createExecutionMetrics, type ReconcileStep } from "./metrics.ts";

const execution = (name: string, status?: unknown): KubeObject => ({ metadata: { name, namespace: "team-a", uid: `u-${name}` }, ...(status === undefined ? {} : { status }) });

const result = (type: ValidatorResult["type"], score: number, passed: boolean, error?: string): ValidatorResult => ({
  type, score, passed, confidence: 1, feedback: "", details: {}, ...(error === undefined ? {} : { error }),
});

const NOW = new Date("2026-01-01T00:10:00Z");
const step = (changes: Partial<ReconcileStep>): ReconcileStep => ({ uid: "u-1", from: "Running", to: "Validating", iteration: 1, now: NOW, ...changes });

/** The value of one series in the registry's exposition text (undefined when absent). */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("countByPhase", () => {
  it("counts every phase, zero included; an Execution without a status is Pending", () => {
    const counts = countByPhase([execution("a"), execution("b", { phase: "Running" }), execution("c", { phase: "Running" }), execution("d", { phase: "Failed" })]);
    expect(Object.fromEntries(counts)).toEqual({ Pending: 1, Running: 2, Validating: 0, Refining: 0, Succeeded: 0, Failed: 1, Cancelled: 0 });
  });
});

describe("the Execution controller's metrics", () => {
  it("reports Executions by phase from the cache at each scrape, and nothing before a cache is wired", async () => {
    const registry = new Registry();
    const metrics = createExecutionMetrics(registry);
    expect(await sample(registry, 'aegis_executions{phase="Running"}')).toBeUndefined();
    const cache = [execution("a", { phase: "Running" })];
    metrics.countFrom(() => cache);
    expect(await sample(registry, 'aegis_executions{phase="Running"}')).toBe(1);
    cache.push(execution("b", { phase: "Running" }));
    cache[0] = execution("a", { phase: "Succeeded" });
    expect(await sample(registry, 'aegis_executions{phase="Running"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions{phase="Succeeded"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions{phase="Pending"}')).toBe(0);
  });

  it("starts every iteration outcome at zero, so rates and ratios exist before the first run", async () => {
    const registry = new Registry();
    createExecutionMetrics(registry);
    for (const outcome of ["passed", "failed", "aborted"]) expect(await sample(registry, `aegis_execution_iterations_total{outcome="${outcome}"}`)).toBe(0);
  });

  it("counts a scored iteration, its validators and the run's end once, however often the reconcile repeats", async () => {
    const registry = new Registry();
    const metrics = createExecutionMetrics(registry);
    const failed = step({ from: "Validating", to: "Refining", validated: { passed: false, results: [result("ExitCode", 1, true), result("Regex", 0, false)] } });
    metrics.observe(failed);
    metrics.observe(failed); // the same reconcile again, on a stale cache
    const passed = step({
      from: "Validating", to: "Succeeded", iteration: 2, reason: "ValidatorsPassed", startTime: "2026-01-01T00:00:00Z",
      validated: { passed: true, results: [result("ExitCode", 1, true), result("Semantic", 0.85, true), result("MultiJudge", 0, false, "judge timed out")] },
    });
    metrics.observe(passed);
    metrics.observe(passed);
    expect(await sample(registry, 'aegis_execution_iterations_total{outcome="failed"}')).toBe(1);
    expect(await sample(registry, 'aegis_execution_iterations_total{outcome="passed"}')).toBe(1);
    expect(await sample(registry, 'aegis_validator_score_count{type="ExitCode"}')).toBe(2);
    expect(await sample(registry, 'aegis_validator_score_bucket{le="0.9",type="Semantic"}')).toBe(1);
    expect(await sample(registry, 'aegis_validator_score_bucket{le="0.8",type="Semantic"}')).toBe(0);
    expect(await sample(registry, 'aegis_validator_results_total{type="Regex",result="failed"}')).toBe(1);
    expect(await sample(registry, 'aegis_validator_results_total{type="MultiJudge",result="error"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Succeeded",reason="ValidatorsPassed"}')).toBe(1);
    expect(await sample(registry, 'aegis_execution_duration_seconds_sum{phase="Succeeded"}')).toBe(600);
  });

  it("counts an iteration cut short by the run's end as aborted, and unknown reasons as Other", async () => {
    const registry = new Registry();
    const metrics = createExecutionMetrics(registry);
    metrics.observe(step({ uid: "u-t", from: "Running", to: "Failed", reason: "Timeout" }));
    metrics.observe(step({ uid: "u-c", from: "Refining", to: "Cancelled", reason: "Cancelled" }));
    metrics.observe(step({ uid: "u-x", from: "Pending", to: "Failed", reason: "SomethingNew" }));
    metrics.observe(step({ uid: "u-r", from: "Running", to: "Running" }));
    expect(await sample(registry, 'aegis_execution_iterations_total{outcome="aborted"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Failed",reason="Timeout"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Cancelled",reason="Cancelled"}')).toBe(1);
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Failed",reason="Other"}')).toBe(1);
    // Without a start time (it never started) there is no duration to observe.
    expect(await sample(registry, 'aegis_execution_duration_seconds_count{phase="Failed"}')).toBeUndefined();
  });

  it("remembers a bounded number of transitions: the oldest may count again, memory stays flat", async () => {
    const registry = new Registry();
    const metrics = createExecutionMetrics(registry, { remember: 2 });
    const end = (uid: string) => step({ uid, from: "Running", to: "Failed", reason: "Timeout" });
    for (const uid of ["a", "b", "c", "a"]) metrics.observe(end(uid));
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Failed",reason="Timeout"}')).toBe(4);
    metrics.observe(end("a"));
    expect(await sample(registry, 'aegis_executions_completed_total{phase="Failed",reason="Timeout"}')).toBe(4);
  });
});
