/**
 * The node heartbeat: a `coordination.k8s.io/v1` Lease named after the node in
 * `kube-node-lease`, renewed every `renewSeconds`, owned by the Node (so it goes with it).
 */
import { applyOptions, FIELD_MANAGER, type KubeClients } from "./kube.ts";

export const LEASE_NAMESPACE = "kube-node-lease";
export const LEASE_DURATION_SECONDS = 40;

/** MicroTime: RFC 3339 with exactly six fractional digits, as the API server requires. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function buildLease(nodeName: string, nodeUid: string | undefined, now: Date): Record<string, unknown> {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: nodeName,
      namespace: LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}

export async function renewLease(clients: KubeClients, nodeName: string, nodeUid: string | undefined): Promise<void> {
  await clients.coordination.patchNamespacedLease(
    { name: nodeName, namespace: LEASE_NAMESPACE, body: buildLease(nodeName, nodeUid, new Date()), fieldManager: FIELD_MANAGER, force: true },
    applyOptions,
  );
}
