/**
 * The PodStatus builder (pure): from what the node knows about a pod's processes to the
 * status written to the API server's `pods/status`. The phase follows the kubelet's getPhase.
 */
import type { PodCondition } from "./pod-spec.ts";

export type ContainerState =
  | { state: "waiting"; reason: string; message?: string | undefined }
  | { state: "running"; startedAt: Date }
  | Terminated;

export interface Terminated {
  state: "terminated";
  exitCode: number;
  signal?: number | undefined;
  reason: string;
  message?: string | undefined;
  startedAt?: Date | undefined;
  finishedAt: Date;
}

export interface ContainerRecord {
  name: string;
  image: string;
  current: ContainerState;
  last?: Terminated | undefined;
  restartCount: number;
  containerID?: string | undefined;
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export interface PodRecord {
  restartPolicy: RestartPolicy;
  hostIP: string;
  podIP: string;
  startTime?: Date | undefined;
  init: ContainerRecord[];
  containers: ContainerRecord[];
  /** A pod-level end decided by the node (DeadlineExceeded, a pod it cannot run, …). */
  failure?: { reason: string; message: string } | undefined;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

/** Kubernetes time format (RFC 3339, whole seconds). */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function initDone(record: PodRecord): boolean {
  return record.init.every((c) => c.current.state === "terminated" && c.current.exitCode === 0);
}

function initFailed(record: PodRecord): boolean {
  return record.restartPolicy === "Never" && record.init.some((c) => c.current.state === "terminated" && c.current.exitCode !== 0);
}

/** The pod phase, as the kubelet computes it from its containers. */
export function podPhase(record: PodRecord): PodPhase {
  if (record.failure || initFailed(record)) return "Failed";
  if (!initDone(record)) return "Pending";
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of record.containers) {
    const s = c.current;
    if (s.state === "running") running += 1;
    else if (s.state === "terminated") {
      stopped += 1;
      if (s.exitCode === 0) succeeded += 1;
    } else if (c.last) {
      stopped += 1;
      if (c.last.exitCode === 0) succeeded += 1;
    } else waiting += 1;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped === 0) return "Pending";
  if (record.restartPolicy === "Always") return "Running";
  if (stopped === succeeded) return "Succeeded";
  return record.restartPolicy === "OnFailure" ? "Running" : "Failed";
}

function stateJson(s: ContainerState, containerID: string | undefined): Record<string, unknown> {
  switch (s.state) {
    case "waiting":
      return { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } };
    case "running":
      return { running: { startedAt: kubeTime(s.startedAt) } };
    case "terminated":
      return {
        terminated: {
          exitCode: s.exitCode,
          ...(s.signal !== undefined ? { signal: s.signal } : {}),
          reason: s.reason,
          ...(s.message ? { message: s.message } : {}),
          ...(s.startedAt ? { startedAt: kubeTime(s.startedAt) } : {}),
          finishedAt: kubeTime(s.finishedAt),
          ...(containerID ? { containerID } : {}),
        },
      };
  }
}

function containerJson(c: ContainerRecord): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    imageID: "",
    ...(c.containerID ? { containerID: c.containerID } : {}),
    ready: c.current.state === "running",
    started: c.current.state === "running",
    restartCount: c.restartCount,
    state: stateJson(c.current, c.containerID),
    lastState: c.last ? stateJson(c.last, undefined) : {},
  };
}

interface ConditionInput {
  type: string;
  status: "True" | "False";
  reason?: string | undefined;
  message?: string | undefined;
}

/** Keeps lastTransitionTime from the previous condition when the status did not change. */
export function withTransitionTimes(next: readonly ConditionInput[], previous: readonly PodCondition[], now: Date): Record<string, unknown>[] {
  return next.map((c) => {
    const prev = previous.find((p) => p.type === c.type);
    const since = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    return {
      type: c.type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: kubeTime(since),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    };
  });
}

function podConditions(record: PodRecord, phase: PodPhase): ConditionInput[] {
  const terminal = phase === "Succeeded" || phase === "Failed";
  const pendingInit = record.init.filter((c) => !(c.current.state === "terminated" && c.current.exitCode === 0)).map((c) => c.name);
  const unready = record.containers.filter((c) => c.current.state !== "running").map((c) => c.name);
  const initialized: ConditionInput =
    pendingInit.length === 0
      ? { type: "Initialized", status: "True" }
      : { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${pendingInit.join(" ")}]` };
  const ready = (type: string): ConditionInput =>
    terminal
      ? { type, status: "False", reason: "PodCompleted" }
      : unready.length === 0
        ? { type, status: "True" }
        : { type, status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
  return [
    { type: "PodReadyToStartContainers", status: record.startTime && !terminal ? "True" : "False" },
    initialized,
    ready("ContainersReady"),
    ready("Ready"),
    { type: "PodScheduled", status: "True" },
  ];
}

/** The whole status the node owns, as JSON for a server-side apply of `pods/status`. */
export function buildPodStatus(record: PodRecord, previous: readonly PodCondition[], now: Date): Record<string, unknown> {
  const phase = podPhase(record);
  const initFailure = phase === "Failed" && !record.failure ? record.init.find((c) => c.current.state === "terminated" && c.current.exitCode !== 0) : undefined;
  return {
    phase,
    ...(record.failure ? { reason: record.failure.reason, message: record.failure.message } : {}),
    ...(initFailure ? { message: `init container ${initFailure.name} failed` } : {}),
    conditions: withTransitionTimes(podConditions(record, phase), previous, now),
    hostIP: record.hostIP,
    hostIPs: [{ ip: record.hostIP }],
    ...(record.startTime
      ? { podIP: record.podIP, podIPs: [{ ip: record.podIP }], startTime: kubeTime(record.startTime) }
      : {}),
    ...(record.init.length > 0 ? { initContainerStatuses: record.init.map(containerJson) } : {}),
    containerStatuses: record.containers.map(containerJson),
  };
}

/** How a process end shows in the container status. */
export function terminatedState(
  end: { kind: "exited"; exitCode: number; signal: number | undefined; finishedAt: Date } | { kind: "start-error"; message: string; finishedAt: Date },
  startedAt: Date,
): Terminated {
  if (end.kind === "start-error") {
    return { state: "terminated", exitCode: 128, reason: "StartError", message: end.message, startedAt, finishedAt: end.finishedAt };
  }
  return {
    state: "terminated",
    exitCode: end.exitCode,
    signal: end.signal,
    reason: end.exitCode === 0 ? "Completed" : "Error",
    startedAt,
    finishedAt: end.finishedAt,
  };
}
