/**
 * Execution condition types and reasons. Polarity: True is good for Ready and Succeeded;
 * Cancelled is True once the run was cancelled.
 * - Ready: the run started and is alive; its reason is the phase (Running, Validating, Refining),
 *   so every phase change is a Ready transition and earns an Event.
 * - Succeeded: Unknown while running, True on ValidatorsPassed, False with the final reason.
 * - Cancelled: True when spec.cancel ended the run.
 */
export const ConditionType = {
  Ready: "Ready",
  Succeeded: "Succeeded",
  Cancelled: "Cancelled",
} as const;

export const Reason = {
  /** Waiting for the first iteration to start. */
  Pending: "Pending",
  Running: "Running",
  Validating: "Validating",
  Refining: "Refining",
  /** The Execution's spec lacks the shape the API promises (only reachable by bypassing the CRD). */
  InvalidSpec: "InvalidSpec",
  /** spec.workflowRef: run by the Workflow controller, not this one. */
  WorkflowRun: "WorkflowRun",
  /** spec.agentRef names no Agent in the namespace. */
  AgentNotFound: "AgentNotFound",
  /** The Agent exists but is not Ready (or has no resolved image): the run waits. */
  AgentNotReady: "AgentNotReady",
  /** Succeeded=True: the validators passed. */
  ValidatorsPassed: "ValidatorsPassed",
  /** Validation failed on the last allowed iteration. */
  MaxIterationsReached: "MaxIterationsReached",
  /** The overall timeout passed. */
  Timeout: "Timeout",
  /** spec.cancel: true. */
  Cancelled: "Cancelled",
  NotCancelled: "NotCancelled",
  /** Succeeded=Unknown while the run goes on. */
  InProgress: "InProgress",
} as const;
