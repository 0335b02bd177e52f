/** Index functions informers commonly need (register them with `informer.addIndex`). */
import type { KubeObject } from "../kube/types.ts";

/** Index name: objects by the uid of any owner (what "owns" watches map back from). */
export const OWNER_UID_INDEX = "owner-uid";

export const byOwnerUid = (obj: KubeObject): string[] => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

/** Objects by the value of one label (e.g. the Execution a pod belongs to). */
export const byLabel = (key: string) => (obj: KubeObject): string[] => {
  const value = obj.metadata.labels?.[key];
  return value === undefined ? [] : [value];
};

/**
 * Objects by a name they reference, qualified by their namespace ("ns/name"), e.g. Executions
 * by `spec.agentRef.name`: `byReference((e) => e.spec.agentRef?.name)`.
 */
export const byReference = <T extends KubeObject>(refOf: (obj: T) => string | readonly string[] | undefined) => (obj: T): string[] => {
  const refs = refOf(obj);
  const names = refs === undefined ? [] : typeof refs === "string" ? [refs] : [...refs];
  return names.filter((n) => n !== "").map((n) => (obj.metadata.namespace ? `${obj.metadata.namespace}/${n}` : n));
};
