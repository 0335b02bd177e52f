/**
 * Registration of the Node object: `buildNode` / `buildNodeStatus` (pure, from facts about the
 * machine) and `registerNode` / `reportNodeStatus` (server-side apply under the node's field
 * manager, which creates the Node when it does not exist).
 */
import { applyOptions, FIELD_MANAGER, type KubeClients } from "./kube.ts";
import { kubeTime } from "./pod-status.ts";
import { MODULES, moduleVersion } from "../controlplane/modules.ts";

/** The node reports the Kubernetes release of the control plane it is built with. */
export const NODE_VERSION = `${moduleVersion(MODULES.find((m) => m.name === "kubernetes")!)}-aegis-local`;

export interface MachineFacts {
  cpus: number;
  memoryBytes: number;
  maxPods: number;
  /** Free space of the state directory's filesystem, if known. */
  ephemeralStorageBytes?: number | undefined;
  arch: string;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
}

/** Node.js's `process.arch` in Kubernetes' GOARCH spelling. */
export function kubeArch(nodeArch: string): string {
  const table: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  return table[nodeArch] ?? nodeArch;
}

export function nodeLabels(name: string, arch: string): Record<string, string> {
  return {
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": arch,
    "beta.kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": arch,
    "node.aegis.dev/local": "true",
    type: "aegis-local",
  };
}

/** The Node object (metadata and spec) applied at start. */
export function buildNode(name: string, facts: MachineFacts): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: nodeLabels(name, facts.arch), annotations: { "node.alpha.kubernetes.io/ttl": "0" } },
    spec: {},
  };
}

export interface NodeStatusInput {
  name: string;
  ready: boolean;
  port: number;
  facts: MachineFacts;
  now: Date;
  /** When Ready last changed; kept across heartbeats. */
  readySince: Date;
}

/** The Node status: Ready (or not), pressure conditions, capacity, addresses, kubelet port. */
export function buildNodeStatus(input: NodeStatusInput): Record<string, unknown> {
  const { facts, now } = input;
  const capacity: Record<string, string> = {
    cpu: String(facts.cpus),
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(facts.maxPods),
  };
  if (facts.ephemeralStorageBytes !== undefined) capacity["ephemeral-storage"] = `${Math.floor(facts.ephemeralStorageBytes / 1024)}Ki`;
  const beat = kubeTime(now);
  const since = kubeTime(input.readySince);
  const pressure = (type: string, reason: string, message: string): Record<string, string> => ({
    type,
    status: "False",
    reason,
    message,
    lastHeartbeatTime: beat,
    lastTransitionTime: since,
  });
  return {
    conditions: [
      pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      input.ready
        ? { type: "Ready", status: "True", reason: "KubeletReady", message: "aegis-local is posting ready status", lastHeartbeatTime: beat, lastTransitionTime: since }
        : { type: "Ready", status: "False", reason: "KubeletNotReady", message: "aegis-local stopped", lastHeartbeatTime: beat, lastTransitionTime: since },
    ],
    capacity,
    allocatable: capacity,
    addresses: [
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: input.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.port } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.machineID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: "aegis-local://0.1.0",
      kubeletVersion: NODE_VERSION,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: facts.arch,
    },
  };
}

export async function registerNode(clients: KubeClients, name: string, facts: MachineFacts): Promise<void> {
  await clients.core.patchNode({ name, body: buildNode(name, facts), fieldManager: FIELD_MANAGER, force: true }, applyOptions);
}

export async function reportNodeStatus(clients: KubeClients, input: NodeStatusInput): Promise<void> {
  await clients.core.patchNodeStatus(
    { name: input.name, body: { apiVersion: "v1", kind: "Node", metadata: { name: input.name }, status: buildNodeStatus(input) }, fieldManager: FIELD_MANAGER, force: true },
    applyOptions,
  );
}
