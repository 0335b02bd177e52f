// Pure: how an iteration ended, and the pod's exit code for it (docs/agent-runtime.md).

export const EXIT_CODES = {
  /** The model stopped on its own. */
  stopped: 0,
  /** A runtime failure: the gateway refused or failed, the model answer was not a completion. */
  failed: 1,
  /** The environment is wrong (config.ts). */
  config: 2,
  /** AEGIS_MAX_TOOL_ROUNDS model turns called tools and the model had not stopped. */
  maxRounds: 3,
  /** AEGIS_ITERATION_TIMEOUT fired (as timeout(1)). */
  timeout: 124,
  /** SIGTERM (128 + 15). */
  terminated: 143,
} as const;

export type EndReason = "stopped" | "maxRounds" | "failed" | "timeout" | "terminated";

export interface LoopOutcome {
  reason: EndReason;
  /** The last assistant text (what the iteration reports as its output). */
  output: string;
  /** Model turns that called tools. */
  rounds: number;
  /** Tool calls seen (seq of the last one). */
  toolCalls: number;
  /** Why it failed, when reason is "failed". */
  error?: string;
}

export const exitCodeFor = (reason: EndReason): number => EXIT_CODES[reason];
