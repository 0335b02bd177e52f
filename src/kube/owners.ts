/**
 * Owner references: the controller reference a child carries (garbage collection, and how an
 * owned object's events find their owner), and the checks on it. Pure.
 */
import type { V1OwnerReference } from "@kubernetes/client-node";
import type { KubeObject } from "./types.ts";

export type Owner = KubeObject & { apiVersion: string; kind: string };

/** The controller ownerReference pointing at `owner` (blockOwnerDeletion for foreground deletes). */
export function controllerReference(owner: Owner): V1OwnerReference {
  const { name, uid } = owner.metadata;
  if (!name || !uid) throw new Error(`A controller reference needs the owner's name and uid (${owner.kind} ${name ?? "<unnamed>"})`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The ownerReference marked controller, if any (an object has at most one). */
export const controllerOf = (obj: KubeObject): V1OwnerReference | undefined => obj.metadata.ownerReferences?.find((r) => r.controller === true);

/** True when any ownerReference of `obj` points at `owner` (by uid: names are reused). */
export const isOwnedBy = (obj: KubeObject, owner: KubeObject): boolean =>
  owner.metadata.uid !== undefined && (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);

/** True when `owner` is the controller of `obj`. */
export const isControlledBy = (obj: KubeObject, owner: KubeObject): boolean =>
  owner.metadata.uid !== undefined && controllerOf(obj)?.uid === owner.metadata.uid;

/**
 * `obj` with `owner` as its controller reference (a copy). Throws when another object already
 * controls it: taking it over would fight that controller.
 */
export function withControllerReference<T extends KubeObject>(obj: T, owner: Owner): T {
  const ref = controllerReference(owner);
  const current = controllerOf(obj);
  if (current && current.uid !== ref.uid) {
    throw new Error(`${obj.kind ?? "Object"} ${obj.metadata.name ?? ""} is already controlled by ${current.kind} ${current.name}`);
  }
  const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return { ...obj, metadata: { ...obj.metadata, ownerReferences: [...others, ref] } };
}
