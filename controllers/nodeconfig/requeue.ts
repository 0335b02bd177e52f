/**
 * Pure: when to look at the provider Secrets again. Nothing watches Secrets (secret-keys.ts), so
 * a NodeConfig that reads any is requeued: soon while a Secret or key is missing or unreadable
 * (a created Secret is noticed within SECRET_RETRY_MS), and now and then otherwise (a deleted or
 * edited Secret is noticed within SECRET_RECHECK_MS). Without Secrets, only changes requeue.
 */
import type { Result } from "../../src/runtime/types.ts";
import { Reason } from "./reasons.ts";

export const SECRET_RETRY_MS = 5_000;
export const SECRET_RECHECK_MS = 5 * 60_000;

const SECRET_FAILURES: ReadonlySet<string> = new Set([Reason.ProviderSecretMissing, Reason.ProviderSecretKeyMissing, Reason.ProviderSecretUnreadable]);

/** `readyReason`: the Ready condition's reason just reported; `secretsRead`: how many Secrets this reconcile read. */
export function nextSecretCheck(readyReason: string | undefined, secretsRead: number): Result {
  if (secretsRead === 0) return {};
  if (readyReason !== undefined && SECRET_FAILURES.has(readyReason)) return { requeueAfter: SECRET_RETRY_MS };
  return { requeueAfter: SECRET_RECHECK_MS };
}
