// One iteration from start to reported output: the loop under the iteration timeout and an outside
// signal (SIGTERM), then POST /v1/output with whatever the loop has, and the exit code.
import type { Logger } from "pino";
import type { GatewayClient } from "./gateway-client.ts";
import { runAgentLoop } from "./loop.ts";
import { exitCodeFor, type LoopOutcome } from "./outcome.ts";
import type { ToolRegistry } from "./tools/index.ts";

export interface RunIterationOptions {
  gateway: GatewayClient;
  tools: ToolRegistry;
  workspace: string;
  maxToolRounds: number;
  iterationTimeoutMs: number;
  log: Logger;
  /** Aborted on SIGTERM: the run ends as "terminated". */
  terminate?: AbortSignal;
  /** How long posting the output may take after an abort (default 10 s). */
  reportTimeoutMs?: number;
}

export interface IterationResult {
  outcome: LoopOutcome;
  exitCode: number;
  /** False when POST /v1/output failed (the controller then falls back to the pod log). */
  reported: boolean;
}

export async function runIteration(options: RunIterationOptions): Promise<IterationResult> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error("iteration timeout")), options.iterationTimeoutMs);
  const terminate = options.terminate ?? new AbortController().signal;
  const signal = AbortSignal.any([timeout.signal, terminate]);
  let outcome: LoopOutcome;
  try {
    outcome = await runAgentLoop({ gateway: options.gateway, tools: options.tools, workspace: options.workspace, maxToolRounds: options.maxToolRounds, signal, log: options.log });
  } finally {
    clearTimeout(timer);
  }
  if (terminate.aborted) outcome = { ...outcome, reason: "terminated" };
  else if (timeout.signal.aborted) outcome = { ...outcome, reason: "timeout" };
  const exitCode = exitCodeFor(outcome.reason);
  let reported = true;
  try {
    await options.gateway.postOutput({ output: outcome.output, exitCode }, AbortSignal.timeout(options.reportTimeoutMs ?? 10_000));
  } catch (error) {
    reported = false;
    options.log.error({ err: error }, "Could not post the iteration output");
  }
  return { outcome, exitCode: reported || exitCode !== 0 ? exitCode : EXIT_FAILED, reported };
}

const EXIT_FAILED = exitCodeFor("failed");
