/**
 * Pure: which requests an informer event triggers, for each kind of source of a controller.
 * Both the new and the old object are mapped (an update that moved an owner reference or a
 * watched field must wake the former target too); the event type is never looked at.
 */
import type { KubeObject, Resource } from "../kube/types.ts";
import type { InformerEvent, MapFunction, Request } from "./types.ts";

/** "namespace/name", or "name" for cluster-scoped objects (the informer's cache key). */
export const keyOf = (request: Request): string => (request.namespace ? `${request.namespace}/${request.name}` : request.name);

export function requestOf(key: string): Request {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

const versions = <T extends KubeObject>(event: InformerEvent<T>): T[] => (event.old ? [event.object, event.old] : [event.object]);

const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

/** The `for` source: the object itself. */
export function forRequests(event: InformerEvent<KubeObject>): Request[] {
  const { namespace, name } = event.object.metadata;
  return [namespace ? { namespace, name: name ?? "" } : { name: name ?? "" }];
}

/** The `owns` source: the controller owner of the child, when it is of the `owner` kind. */
export function ownerRequests(event: InformerEvent<KubeObject>, owner: Resource): Request[] {
  return versions(event).flatMap((obj) => {
    const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) return [];
    const namespace = owner.namespaced ? obj.metadata.namespace : undefined;
    return [namespace ? { namespace, name: ref.name } : { name: ref.name }];
  });
}

/** A `watches` source: whatever the map function says. */
export function mappedRequests(event: InformerEvent<KubeObject>, map: MapFunction): Request[] {
  return versions(event).flatMap((obj) => map(obj));
}
