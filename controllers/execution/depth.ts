/**
 * Pure: the run's nesting depth for status.depth, which the spawn admission check reads from a
 * parent to bound its children (src/policy/spawn.ts): 0 for a top-level run, the parent's + 1
 * for a spawned one. spec.parentRef is immutable, so a depth once written stays.
 */
import type { KubeObject } from "../../src/kube/types.ts";

/** The schema's bound (src/api/schema/execution.ts); admission refuses deeper children. */
export const MAX_DEPTH = 3;

const depthIn = (status: unknown): number | undefined => {
  const depth = (status as { depth?: unknown } | undefined)?.depth;
  return typeof depth === "number" && Number.isInteger(depth) && depth >= 0 ? depth : undefined;
};

/** `parent`: the Execution spec.parentRef names, from the cache; undefined while unknown. */
export function executionDepth(execution: KubeObject, parent: KubeObject | undefined): number | undefined {
  const written = depthIn(execution.status);
  if (written !== undefined) return written;
  const parentRef = (execution.spec as { parentRef?: unknown } | undefined)?.parentRef;
  if (typeof parentRef !== "string" || parentRef === "") return 0;
  // The parent's own depth is not known yet (or it is gone): written on a later reconcile.
  const parentDepth = depthIn(parent?.status);
  if (parentDepth === undefined) return undefined;
  return parentDepth + 1 <= MAX_DEPTH ? parentDepth + 1 : undefined;
}
