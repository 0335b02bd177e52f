/**
 * Pure: the Execution's conditions and owned status fields from a phase decision. Ready's reason
 * is the phase while the run is alive, so each phase change is a transition with its Event.
 */
import type { ConditionInput, DesiredStatus } from "../../src/kube/status-report.ts";
import type { Decision } from "./phase.ts";
import { ConditionType, Reason } from "./reasons.ts";

function conditions(decision: Decision): ConditionInput[] {
  const { status, waiting } = decision;
  const progress = `iteration ${status.iterationDisplay}`;
  const ready = (s: ConditionInput["status"], reason: string, message: string): ConditionInput => ({ type: ConditionType.Ready, status: s, reason, message });
  const succeeded = (s: ConditionInput["status"], reason: string, message: string): ConditionInput => ({ type: ConditionType.Succeeded, status: s, reason, message });
  const final = status.message ?? "";
  switch (status.phase) {
    case "Succeeded":
      return [ready("True", Reason.ValidatorsPassed, final), succeeded("True", Reason.ValidatorsPassed, final)];
    case "Failed": {
      const reason = status.reason ?? "Failed";
      return [ready("False", reason, final), succeeded("False", reason, final)];
    }
    case "Cancelled":
      return [
        ready("False", Reason.Cancelled, final), succeeded("False", Reason.Cancelled, final),
        { type: ConditionType.Cancelled, status: "True", reason: Reason.Cancelled, message: final },
      ];
    default: {
      const inProgress = succeeded("Unknown", Reason.InProgress, progress);
      if (waiting) return [ready("False", waiting.reason, waiting.message), inProgress];
      if (status.phase === "Pending") return [ready("False", Reason.Pending, "waiting for the first iteration to start"), inProgress];
      return [ready("True", status.phase, progress), inProgress];
    }
  }
}

/**
 * Transitions that earn no Event: the run being recorded Pending and an iteration being scored
 * are brief, expected steps (the phase shows them); Events mark an iteration starting, a
 * refinement, a wait and the end — each Event is one more write to the API server.
 */
export const QUIET_REASONS: readonly string[] = [Reason.Pending, Reason.Validating];

export function executionStatus(decision: Decision): DesiredStatus {
  const s = decision.status;
  const terminal = s.phase === "Succeeded" || s.phase === "Failed" || s.phase === "Cancelled";
  return {
    quietReasons: QUIET_REASONS,
    conditions: conditions(decision),
    fields: {
      phase: s.phase,
      iteration: s.iteration,
      maxIterations: s.maxIterations,
      iterationDisplay: s.iterationDisplay,
      score: s.score,
      iterations: s.iterations.length > 0 ? s.iterations : undefined,
      podName: s.podName,
      agent: s.agent,
      reason: terminal ? s.reason : undefined,
      message: terminal ? s.message?.slice(0, 4096) : undefined,
      startTime: s.startTime,
      completionTime: terminal ? s.completionTime : undefined,
      tokens: s.tokens,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      cost: s.cost,
      outputPreview: s.outputPreview,
      outputTruncated: s.outputTruncated,
    },
  };
}
