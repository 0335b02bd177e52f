/**
 * The Execution controller's Prometheus metrics (docs/metrics.md). Two views of runs:
 * - aegis_executions{phase}: how many Executions are in each phase now, counted from the
 *   controller's informer cache at scrape time (backlog and stuck-run alerts; every replica with
 *   a synced cache reports the same numbers, so queries take `max`, not `sum`).
 * - counters of what the leader did: runs ended by phase and reason, iterations by outcome,
 *   validator results and scores (failure-ratio alerts: rates survive old objects piling up).
 * Each transition is counted once per process even when a reconcile repeats on a stale cache.
 * Labels are bounded sets (phases, reasons, validator types), never an execution's name or uid.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { EXECUTION_PHASES } from "../../src/api/schema/execution.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ValidatorResult } from "../../src/validators/index.ts";
import { Reason } from "./reasons.ts";
import { isTerminal, readExecutionStatus, type ExecutionPhase } from "./status-view.ts";

/** passed/failed: the validators scored it; aborted: the run ended (timeout, cancel) while it ran. */
export type IterationOutcome = "passed" | "failed" | "aborted";

/** The reasons a run ends with; anything else is reported as "Other". */
const END_REASONS: readonly string[] = [Reason.ValidatorsPassed, Reason.MaxIterationsReached, Reason.Timeout, Reason.Cancelled];

const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];
const SCORE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

/** What one reconcile wrote, reported after its status write succeeded. */
export interface ReconcileStep {
  readonly uid: string;
  readonly from: ExecutionPhase;
  readonly to: ExecutionPhase;
  readonly iteration: number;
  /** The terminal reason (status.reason) when `to` is terminal. */
  readonly reason?: string;
  readonly startTime?: string;
  readonly now: Date;
  /** Set when this reconcile scored the iteration. */
  readonly validated?: { readonly passed: boolean; readonly results: readonly ValidatorResult[] };
}

export interface ExecutionMetrics {
  readonly executions: Gauge<"phase">;
  readonly completed: Counter<"phase" | "reason">;
  readonly duration: Histogram<"phase">;
  readonly iterations: Counter<"outcome">;
  readonly validatorScore: Histogram<"type">;
  readonly validatorResults: Counter<"type" | "result">;
  /** Where aegis_executions counts from at each scrape (the controller's Execution cache). */
  countFrom(list: () => readonly KubeObject[]): void;
  observe(step: ReconcileStep): void;
}

/** Insertion-ordered keys, the oldest dropped past `capacity`: "counted already" without growing forever. */
class RecentKeys {
  readonly #keys = new Set<string>();
  readonly #capacity: number;
  constructor(capacity: number) {
    this.#capacity = capacity;
  }
  /** True the first time a key is seen (while it is remembered). */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) this.#keys.delete(this.#keys.values().next().value as string);
    return true;
  }
}

/** Pure: Executions per phase, every phase present (zero included, so alerts see a value). */
export function countByPhase(executions: readonly KubeObject[]): Map<ExecutionPhase, number> {
  const counts = new Map<ExecutionPhase, number>(EXECUTION_PHASES.map((p) => [p, 0]));
  for (const e of executions) {
    const phase = readExecutionStatus(e.status).phase;
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
  }
  return counts;
}

export function createExecutionMetrics(registry: Registry, options: { remember?: number } = {}): ExecutionMetrics {
  const registers = [registry];
  let source: (() => readonly KubeObject[]) | undefined;
  const counted = new RecentKeys(options.remember ?? 10_000);
  const executions = new Gauge({
    name: "aegis_executions", help: "Executions by phase, from the operator's cache at scrape time (take max across replicas).",
    labelNames: ["phase"], registers,
    collect() {
      if (source === undefined) return;
      for (const [phase, n] of countByPhase(source())) this.set({ phase }, n);
    },
  });
  const completed = new Counter({ name: "aegis_executions_completed_total", help: "Executions that reached a terminal phase, by phase and reason.", labelNames: ["phase", "reason"], registers });
  const duration = new Histogram({
    name: "aegis_execution_duration_seconds", help: "From an Execution's start to its terminal phase, by that phase.", labelNames: ["phase"], buckets: DURATION_BUCKETS, registers,
  });
  const iterations = new Counter({ name: "aegis_execution_iterations_total", help: "Finished iterations by outcome (passed, failed, aborted).", labelNames: ["outcome"], registers });
  const validatorScore = new Histogram({ name: "aegis_validator_score", help: "Scores (0-1) validators gave iterations, by validator type.", labelNames: ["type"], buckets: SCORE_BUCKETS, registers });
  const validatorResults = new Counter({ name: "aegis_validator_results_total", help: "Validator verdicts by type and result (passed, failed, error).", labelNames: ["type", "result"], registers });
  for (const outcome of ["passed", "failed", "aborted"] satisfies IterationOutcome[]) iterations.inc({ outcome }, 0);

  return {
    executions, completed, duration, iterations, validatorScore, validatorResults,
    countFrom: (list) => {
      source = list;
    },
    observe(step) {
      if (step.validated !== undefined && counted.add(`${step.uid}/${step.iteration}/scored`)) {
        for (const r of step.validated.results) {
          validatorScore.observe({ type: r.type }, r.score);
          validatorResults.inc({ type: r.type, result: r.error !== undefined ? "error" : r.passed ? "passed" : "failed" });
        }
        iterations.inc({ outcome: step.validated.passed ? "passed" : "failed" });
      }
      if (step.from === step.to || !isTerminal(step.to) || !counted.add(`${step.uid}/end`)) return;
      if (step.validated === undefined && (step.from === "Running" || step.from === "Validating")) iterations.inc({ outcome: "aborted" });
      const reason = step.reason !== undefined && END_REASONS.includes(step.reason) ? step.reason : "Other";
      completed.inc({ phase: step.to, reason });
      const started = step.startTime === undefined ? Number.NaN : Date.parse(step.startTime);
      if (!Number.isNaN(started)) duration.observe({ phase: step.to }, Math.max(0, (step.now.getTime() - started) / 1000));
    },
  };
}
