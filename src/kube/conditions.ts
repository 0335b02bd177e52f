/**
 * Status conditions with apimachinery's semantics (meta.SetStatusCondition): lastTransitionTime
 * moves only when status changes, observedGeneration is always set, and the caller learns
 * whether anything changed, to decide whether to write status and whether to emit an event.
 * Pure: time is a value.
 */
import type { Condition } from "../api/index.ts";

export type { Condition };

export interface ConditionUpdate {
  readonly type: string;
  readonly status: Condition["status"];
  readonly reason: string;
  readonly message: string;
}

/** metav1.Time serializes whole seconds (RFC 3339, "Z"). */
export const conditionTime = (now: Date): string => now.toISOString().replace(/\.\d+Z$/, "Z");

/**
 * Sets `update` in `conditions` (a new array; the input is not changed). `generation` is the
 * object's metadata.generation the condition was computed from.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  generation: number | undefined,
  now: Date,
): { conditions: Condition[]; changed: boolean } {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const existing = index < 0 ? undefined : list[index];
  const observed = generation === undefined ? {} : { observedGeneration: generation };
  if (!existing) {
    list.push({ type: update.type, status: update.status, ...observed, lastTransitionTime: conditionTime(now), reason: update.reason, message: update.message });
    return { conditions: list, changed: true };
  }
  const statusChanged = existing.status !== update.status;
  const next: Condition = {
    ...existing,
    status: update.status,
    reason: update.reason,
    message: update.message,
    ...observed,
    lastTransitionTime: statusChanged || !existing.lastTransitionTime ? conditionTime(now) : existing.lastTransitionTime,
  };
  const changed = statusChanged || existing.reason !== update.reason || existing.message !== update.message
    || existing.observedGeneration !== next.observedGeneration || existing.lastTransitionTime !== next.lastTransitionTime;
  list[index] = next;
  return { conditions: list, changed };
}

/** Removes a condition type; changed when it was there. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): { conditions: Condition[]; changed: boolean } {
  const list = (conditions ?? []).filter((c) => c.type !== type);
  return { conditions: list, changed: list.length !== (conditions?.length ?? 0) };
}

export const findCondition = (conditions: readonly Condition[] | undefined, type: string): Condition | undefined =>
  conditions?.find((c) => c.type === type);

/** True only when the condition is True and was computed from this generation (not stale). */
export const isConditionCurrentAndTrue = (conditions: readonly Condition[] | undefined, type: string, generation: number | undefined): boolean => {
  const c = findCondition(conditions, type);
  return c?.status === "True" && (generation === undefined || c.observedGeneration === generation);
};
