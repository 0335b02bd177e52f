/**
 * Downward-API field paths (for `env[].valueFrom.fieldRef` and `downwardAPI` volume items),
 * resolved from the pod and the node's view of it.
 */
import type { Pod } from "./pod-spec.ts";

/** What the node knows about a pod beyond its manifest. */
export interface PodRuntimeFacts {
  nodeName: string;
  hostIP: string;
  podIP: string;
}

function formatMap(values: Record<string, string>): string {
  return Object.keys(values)
    .sort()
    .map((key) => `${key}=${JSON.stringify(values[key])}`)
    .join("\n");
}

/** The value of a fieldRef, or an error message for a path the node does not support. */
export function resolveFieldPath(pod: Pod, facts: PodRuntimeFacts, fieldPath: string): { value: string } | { error: string } {
  const subscript = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(fieldPath);
  if (subscript) {
    const [, kind, key] = subscript;
    const values = kind === "labels" ? pod.metadata.labels : pod.metadata.annotations;
    return { value: values[key ?? ""] ?? "" };
  }
  switch (fieldPath) {
    case "metadata.name":
      return { value: pod.metadata.name };
    case "metadata.namespace":
      return { value: pod.metadata.namespace };
    case "metadata.uid":
      return { value: pod.metadata.uid };
    case "metadata.labels":
      return { value: formatMap(pod.metadata.labels) };
    case "metadata.annotations":
      return { value: formatMap(pod.metadata.annotations) };
    case "spec.nodeName":
      return { value: pod.spec.nodeName ?? facts.nodeName };
    case "spec.serviceAccountName":
      return { value: pod.spec.serviceAccountName ?? "" };
    case "status.hostIP":
    case "status.hostIPs":
      return { value: facts.hostIP };
    case "status.podIP":
    case "status.podIPs":
      return { value: facts.podIP };
    default:
      return { error: `fieldRef ${JSON.stringify(fieldPath)} is not supported` };
  }
}
