/**
 * Pure, the heart of the controller: from the Execution (spec and status), its Agent, the
 * current iteration's pod and, once computed, the iteration's validation, decide the next action
 * and the next status. Phases: Pending → Running → Validating → (Refining → Running …) →
 * Succeeded | Failed | Cancelled. A terminal phase never changes again. Never throws.
 */
import type { Verdict } from "../../src/runtime/policy-chain.ts";
import { conditionTime } from "../../src/kube/conditions.ts";
import { podNameFor } from "./pod-name.ts";
import { Reason } from "./reasons.ts";
import { maxIterationsOf, timeoutOf, type AgentView, type ExecutionSpecView } from "./spec.ts";
import {
  isTerminal, summaryOf, withSummary, type ExecutionPhase, type ExecutionStatusView, type IterationSummary,
} from "./status-view.ts";

/** The current iteration's pod, as observe.ts saw it. */
export interface PodView {
  readonly name: string;
  /** Pending, Running, Succeeded, Failed or Unknown. */
  readonly phase: string;
  /** The agent container's exit code once terminated; null when it ended without one. */
  readonly exitCode: number | null;
  readonly startTime?: string;
  readonly deleting: boolean;
}

/** What the validator chain said about one iteration. */
export interface Validation {
  readonly passed: boolean;
  readonly score: number;
  readonly confidence: number;
  readonly feedback: string;
}

export interface PhaseInput {
  /** The Execution's name (pod names derive from it). */
  readonly name: string;
  readonly spec: ExecutionSpecView;
  readonly status: ExecutionStatusView;
  /** undefined: the Agent does not exist. */
  readonly agent: AgentView | undefined;
  /** The pod of iteration `status.iteration` (or of the next one when about to start it). */
  readonly pod: PodView | undefined;
  readonly validation?: Validation;
  readonly now: Date;
  /** The Execution carries no phase yet: it is recorded as Pending before anything starts. */
  readonly unrecorded?: boolean;
}

export type Action =
  | { readonly kind: "wait" }
  | { readonly kind: "createPod"; readonly iteration: number; readonly podName: string }
  | { readonly kind: "validate"; readonly iteration: number; readonly exitCode: number | null }
  | { readonly kind: "deletePod"; readonly podName: string };

export interface NextStatus extends ExecutionStatusView {
  readonly maxIterations: number;
  readonly iterationDisplay: string;
  readonly agent?: string;
}

export interface Decision {
  readonly action: Action;
  readonly status: NextStatus;
  /** Why the run waits (AgentNotFound, AgentNotReady, …), for the Ready condition. */
  readonly waiting?: Verdict;
  /** When to look again even if nothing changes (the overall timeout). */
  readonly requeueAfterMs?: number;
}

const WAIT: Action = { kind: "wait" };
const finished = (pod: PodView): boolean => pod.phase === "Succeeded" || pod.phase === "Failed";
const exitCodeField = (code: number | null): number | undefined =>
  code !== null && Number.isInteger(code) && code >= 0 && code <= 255 ? code : undefined;

export function decide(input: PhaseInput): Decision {
  const { spec, status, agent, pod, now } = input;
  const max = Math.max(maxIterationsOf(spec, agent), Math.min(status.iteration, 20), 1);
  const iteration = Math.min(status.iteration, max);
  const base: NextStatus = {
    ...status, iteration, maxIterations: max, iterationDisplay: `${iteration}/${max}`, agent: spec.agentRef?.name,
  };
  const at = conditionTime(now);
  const next = (phase: ExecutionPhase, changes: Partial<NextStatus> = {}): NextStatus => {
    const n = changes.iteration ?? base.iteration;
    return { ...base, ...changes, phase, iterationDisplay: `${n}/${max}` };
  };
  const end = (phase: ExecutionPhase, reason: string, message: string, summaries = base.iterations): NextStatus =>
    next(phase, { reason, message, completionTime: at, iterations: summaries });
  const stopPod: Action = pod && !finished(pod) && !pod.deleting ? { kind: "deletePod", podName: pod.name } : WAIT;

  if (isTerminal(status.phase)) return { action: stopPod, status: base };
  if (spec.workflowRef !== undefined || spec.agentRef === undefined) {
    return { action: WAIT, status: base, waiting: { reason: Reason.WorkflowRun, message: "workflow runs are executed by the Workflow controller" } };
  }
  if (spec.cancel === true) {
    return { action: stopPod, status: end("Cancelled", Reason.Cancelled, "cancelled by spec.cancel") };
  }
  const timeoutMs = timeoutOf(spec, agent);
  const started = status.startTime === undefined ? undefined : Date.parse(status.startTime);
  const remaining = started === undefined || Number.isNaN(started) ? undefined : started + timeoutMs - now.getTime();
  if (remaining !== undefined && remaining <= 0) {
    return { action: stopPod, status: end("Failed", Reason.Timeout, `the run exceeded its timeout of ${timeoutMs / 1000}s`) };
  }
  const requeue = remaining === undefined ? {} : { requeueAfterMs: remaining };

  const current = summaryOf(base.iterations, Math.max(iteration, 1));
  switch (status.phase) {
    case "Pending":
      // `kubectl get executions -w` first shows Pending, then Running: one write each.
      if (input.unrecorded === true) return { action: WAIT, status: base, requeueAfterMs: 0 };
      return startIteration(input, base, iteration + 1, next, end, requeue);
    case "Refining":
      return startIteration(input, base, iteration + 1, next, end, requeue);
    case "Running": {
      const n = Math.max(iteration, 1);
      if (pod === undefined) {
        // Seen started and now gone: the iteration is lost, score it as killed (no exit code).
        if (current?.startTime !== undefined) {
          return { action: WAIT, status: toValidating(base, next, n, null, current), requeueAfterMs: 0 };
        }
        return startIteration(input, base, n, next, end, requeue);
      }
      if (!finished(pod)) {
        const summary: IterationSummary = { ...(current ?? { number: n, phase: "Running", podName: pod.name }), startTime: current?.startTime ?? pod.startTime };
        return { action: WAIT, status: next("Running", { iteration: n, iterations: withSummary(base.iterations, summary) }), ...requeue };
      }
      return { action: WAIT, status: toValidating(base, next, n, pod.exitCode, current), requeueAfterMs: 0 };
    }
    case "Validating": {
      const n = Math.max(iteration, 1);
      const exitCode = current?.exitCode ?? null;
      if (input.validation === undefined) return { action: { kind: "validate", iteration: n, exitCode }, status: base, ...requeue };
      const v = input.validation;
      const scored: IterationSummary = {
        ...(current ?? { number: n }), number: n, phase: v.passed ? "Succeeded" : "Failed",
        score: clamp(v.score), confidence: clamp(v.confidence), feedback: v.passed ? undefined : v.feedback, completionTime: at,
      };
      const iterations = withSummary(base.iterations, scored);
      const score = Math.max(base.score ?? 0, clamp(v.score));
      if (v.passed) return { action: WAIT, status: { ...end("Succeeded", Reason.ValidatorsPassed, `iteration ${n} passed its validators`, iterations), score } };
      if (n >= max) {
        return { action: WAIT, status: { ...end("Failed", Reason.MaxIterationsReached, `iteration ${n} of ${max} failed its validators: ${v.feedback}`.slice(0, 4096), iterations), score } };
      }
      return { action: WAIT, status: next("Refining", { iteration: n, iterations, score }), requeueAfterMs: 0 };
    }
    default:
      return { action: WAIT, status: base };
  }
}

const clamp = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

function toValidating(
  base: NextStatus, next: (p: ExecutionPhase, c?: Partial<NextStatus>) => NextStatus, n: number, exitCode: number | null, current: IterationSummary | undefined,
): NextStatus {
  const summary: IterationSummary = { ...(current ?? { number: n }), number: n, phase: "Validating", exitCode: exitCodeField(exitCode) };
  return next("Validating", { iteration: n, iterations: withSummary(base.iterations, summary) });
}

/** Start iteration `n` (create its pod), or wait for the Agent, or stop at the bound. */
function startIteration(
  input: PhaseInput,
  base: NextStatus,
  n: number,
  next: (p: ExecutionPhase, c?: Partial<NextStatus>) => NextStatus,
  end: (p: ExecutionPhase, r: string, m: string) => NextStatus,
  requeue: { requeueAfterMs?: number },
): Decision {
  const { agent, now } = input;
  if (n > base.maxIterations) {
    return { action: WAIT, status: end("Failed", Reason.MaxIterationsReached, `all ${base.maxIterations} iterations used`) };
  }
  if (agent === undefined) {
    return { action: WAIT, status: base, waiting: { reason: Reason.AgentNotFound, message: `Agent ${input.spec.agentRef?.name ?? ""} not found in the namespace` }, ...requeue };
  }
  if (!agent.ready) return { action: WAIT, status: base, waiting: { reason: Reason.AgentNotReady, message: agent.notReadyMessage }, ...requeue };
  const podName = podNameFor(input.name, n);
  const summary: IterationSummary = { ...(summaryOf(base.iterations, n) ?? {}), number: n, phase: "Running", podName };
  return {
    action: { kind: "createPod", iteration: n, podName },
    status: next("Running", { iteration: n, podName, startTime: base.startTime ?? conditionTime(now), iterations: withSummary(base.iterations, summary) }),
    ...requeue,
  };
}
