/**
 * Finalizers added and removed with a JSON patch whose first operation tests the list as we
 * saw it: if anyone changed it meanwhile the patch fails (and the reconcile retries) instead of
 * silently dropping someone else's finalizer, as a whole-list replace would.
 */
import { KubeApiError, isKubeApiError } from "./errors.ts";
import type { JsonPatchOp, KubeClient, KubeObject, Resource } from "./types.ts";

export const hasFinalizer = (obj: KubeObject, finalizer: string): boolean => (obj.metadata.finalizers ?? []).includes(finalizer);

/**
 * Pure: the patch that adds or removes `finalizer` given the list as it is, or undefined when
 * nothing is to change. A missing list is tested as null (the API server's JSON patch treats
 * a missing member as null).
 */
export function finalizerPatch(current: readonly string[] | undefined, finalizer: string, action: "add" | "remove"): JsonPatchOp[] | undefined {
  const list = current ?? [];
  const index = list.indexOf(finalizer);
  if (action === "add") {
    if (index >= 0) return undefined;
    if (current === undefined) return [{ op: "test", path: "/metadata/finalizers", value: null }, { op: "add", path: "/metadata/finalizers", value: [finalizer] }];
    return [{ op: "test", path: "/metadata/finalizers", value: list }, { op: "add", path: "/metadata/finalizers/-", value: finalizer }];
  }
  if (index < 0) return undefined;
  return [{ op: "test", path: "/metadata/finalizers", value: list }, { op: "remove", path: `/metadata/finalizers/${index}` }];
}

export interface FinalizerOptions {
  /** The controller's field manager, so managedFields say who owns the finalizer. */
  readonly fieldManager?: string;
}

async function patchFinalizers<T extends KubeObject>(
  client: KubeClient, res: Resource, obj: T, finalizer: string, action: "add" | "remove", options: FinalizerOptions,
): Promise<{ object: T; changed: boolean }> {
  const ops = finalizerPatch(obj.metadata.finalizers, finalizer, action);
  if (!ops) return { object: obj, changed: false };
  try {
    const object = await client.jsonPatch<T>(res, obj.metadata.namespace, obj.metadata.name ?? "", ops, options);
    return { object, changed: true };
  } catch (err) {
    // A failed `test` comes back as 422 Invalid without field causes (an invalid finalizer
    // name has causes): our view of the list was stale, which callers handle as a Conflict.
    if (isKubeApiError(err) && err.reason === "Invalid" && err.causes.length === 0) {
      throw new KubeApiError("Conflict", 409, `The finalizers of ${res.kind} ${obj.metadata.name ?? ""} changed meanwhile`, { cause: err });
    }
    throw err;
  }
}

/** Adds `finalizer` unless present; returns the object after the patch and whether it changed. */
export const addFinalizer = <T extends KubeObject>(
  client: KubeClient, res: Resource, obj: T, finalizer: string, options: FinalizerOptions = {},
): Promise<{ object: T; changed: boolean }> => patchFinalizers(client, res, obj, finalizer, "add", options);

/** Removes `finalizer` if present; returns the object after the patch and whether it changed. */
export const removeFinalizer = <T extends KubeObject>(
  client: KubeClient, res: Resource, obj: T, finalizer: string, options: FinalizerOptions = {},
): Promise<{ object: T; changed: boolean }> => patchFinalizers(client, res, obj, finalizer, "remove", options);
