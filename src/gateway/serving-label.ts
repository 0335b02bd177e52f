/**
 * Pure: which JSON patch puts the `aegis.dev/gateway: serving` label on the operator's own Pod, or
 * takes it off. The aegis-gateway Service selects only the Pod with that label, which the leader
 * sets: the credential registry is in the leader's memory, so a standby would answer every
 * iteration pod with "unknown token". The I/O around it: serving-label-kube.ts.
 */
import type { JsonPatchOp } from "../kube/types.ts";
import { backoffDelay } from "../runtime/informer-store.ts";

export const GATEWAY_LABEL = "aegis.dev/gateway";
export const SERVING = "serving";

/** The label's JSON pointer (RFC 6901: "~" is "~0", "/" is "~1"). */
const LABEL_PATH = `/metadata/labels/${GATEWAY_LABEL.replaceAll("~", "~0").replaceAll("/", "~1")}`;

export interface PodMeta {
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly resourceVersion?: string | undefined;
}

/** The patch that makes the Pod carry the label exactly when `serving`; [] when it already does. */
export function servingLabelPatch(pod: PodMeta, serving: boolean): JsonPatchOp[] {
  const current = pod.labels?.[GATEWAY_LABEL];
  if (serving) {
    if (current === SERVING) return [];
    if (pod.labels) return [{ op: "add", path: LABEL_PATH, value: SERVING }];
    // Adding the whole map would replace labels someone added since we read: only on that version.
    return [
      { op: "test", path: "/metadata/resourceVersion", value: pod.resourceVersion },
      { op: "add", path: "/metadata/labels", value: { [GATEWAY_LABEL]: SERVING } },
    ];
  }
  if (current === undefined) return [];
  // "remove" of a missing key is an error: the test makes a concurrent change a clean retry.
  return [{ op: "test", path: LABEL_PATH, value: current }, { op: "remove", path: LABEL_PATH }];
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 6, baseDelayMs: 250, maxDelayMs: 4_000 };

/** After failed try `attempt` (1-based): the wait before the next, or undefined to give up. */
export function retryDelayMs(attempt: number, options: RetryOptions = DEFAULT_RETRY): number | undefined {
  if (attempt >= options.attempts) return undefined;
  // The runtime's capped exponential backoff, without jitter: one process patches its own Pod.
  return backoffDelay(attempt, { baseMs: options.baseDelayMs, capMs: options.maxDelayMs }, () => 1);
}
