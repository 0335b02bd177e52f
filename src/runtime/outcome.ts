/**
 * Pure: what the loop does after one reconcile (controller-runtime's reconcileHandler switch).
 * Only the reconciler's return value or thrown error decide; never the event that queued the key.
 */
import { isConflict } from "../kube/errors.ts";
import { TerminalError } from "./errors.ts";
import type { ReconcileOutcome } from "./metrics.ts";
import type { Result } from "./types.ts";

export type Decision =
  /** Done until something changes: clear the key's backoff. */
  | { readonly action: "forget"; readonly outcome: "success" }
  /** Waiting on time, not on an error: clear the backoff, add again after `delayMs`. */
  | { readonly action: "requeueAfter"; readonly outcome: "requeue_after"; readonly delayMs: number }
  /** A failure worth retrying: back off. `quiet` for optimistic-concurrency conflicts. */
  | { readonly action: "retry"; readonly outcome: "error" | "requeue"; readonly quiet: boolean; readonly error: unknown }
  /** Retrying cannot help: clear the backoff, log, count and record a Warning event. */
  | { readonly action: "giveUp"; readonly outcome: Extract<ReconcileOutcome, "terminal">; readonly error: TerminalError };

export type Settled = { readonly ok: true; readonly result: Result | void } | { readonly ok: false; readonly error: unknown };

export function decide(settled: Settled): Decision {
  if (!settled.ok) {
    const { error } = settled;
    if (error instanceof TerminalError) return { action: "giveUp", outcome: "terminal", error };
    // Someone else wrote the object first: the next reconcile reads the new version. Not an error
    // (crossplane's SilentlyRequeueOnConflict), but still backed off so a hot object cannot spin.
    if (isConflict(error)) return { action: "retry", outcome: "requeue", quiet: true, error };
    return { action: "retry", outcome: "error", quiet: false, error };
  }
  const after = settled.result?.requeueAfter;
  if (after !== undefined && after > 0) return { action: "requeueAfter", outcome: "requeue_after", delayMs: after };
  return { action: "forget", outcome: "success" };
}
