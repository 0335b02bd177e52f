/**
 * The record a pod starts from on this node (pure). A pod the node has never started begins
 * with every container waiting. A pod that was already started — by an earlier run of the node
 * that died or was stopped — is never run twice: with restartPolicy Never it ends Failed
 * (reason NodeRestarted), otherwise its unfinished containers count one restart and run again
 * while finished ones keep their result.
 */
import type { Container, Pod } from "./pod-spec.ts";
import type { ContainerRecord, PodRecord, Terminated } from "./pod-status.ts";

export type StartKind = "fresh" | "resume" | "failed";

type PrevStatus = Pod["status"]["containerStatuses"][number];

const UNKNOWN_MESSAGE = "The container could not be located when the pod was terminated";

/** True when the status shows the node had started (or finished) any container of the pod. */
export function statusShowsStarted(pod: Pod): boolean {
  const all = [...pod.status.initContainerStatuses, ...pod.status.containerStatuses];
  return all.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
}

function prevTerminated(prev: PrevStatus | undefined, now: Date): Terminated | undefined {
  const t = prev?.state?.terminated as { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string } | undefined;
  if (!t) return undefined;
  return {
    state: "terminated",
    exitCode: t.exitCode,
    reason: t.reason ?? (t.exitCode === 0 ? "Completed" : "Error"),
    message: t.message,
    startedAt: t.startedAt ? new Date(t.startedAt) : undefined,
    finishedAt: t.finishedAt ? new Date(t.finishedAt) : now,
  };
}

function unknownEnd(now: Date): Terminated {
  return { state: "terminated", exitCode: 137, reason: "ContainerStatusUnknown", message: UNKNOWN_MESSAGE, finishedAt: now };
}

export function initialRecord(pod: Pod, net: { hostIP: string; podIP: string }, startedBefore: boolean, now: Date): { record: PodRecord; kind: StartKind } {
  const policy = pod.spec.restartPolicy;
  const hasInit = pod.spec.initContainers.length > 0;
  const kind: StartKind = !startedBefore ? "fresh" : policy === "Never" ? "failed" : "resume";
  const prevOf = (list: PrevStatus[], name: string): PrevStatus | undefined => list.find((s) => s.name === name);

  const build = (c: Container, isInit: boolean): ContainerRecord => {
    const base = { name: c.name, image: c.image };
    const waitingReason = isInit || !hasInit ? "ContainerCreating" : "PodInitializing";
    if (kind === "fresh") return { ...base, current: { state: "waiting", reason: waitingReason }, restartCount: 0 };
    const prev = prevOf(isInit ? pod.status.initContainerStatuses : pod.status.containerStatuses, c.name);
    const done = prevTerminated(prev, now);
    const restartCount = prev?.restartCount ?? 0;
    if (kind === "failed") return { ...base, current: done ?? unknownEnd(now), restartCount };
    const keep = done && done.exitCode === 0 && (isInit || policy === "OnFailure");
    if (keep) return { ...base, current: done, restartCount };
    return { ...base, current: { state: "waiting", reason: waitingReason }, last: done ?? unknownEnd(now), restartCount: restartCount + 1 };
  };

  const record: PodRecord = {
    restartPolicy: policy,
    hostIP: net.hostIP,
    podIP: net.podIP,
    startTime: pod.status.startTime ?? undefined,
    init: pod.spec.initContainers.map((c) => build(c, true)),
    containers: pod.spec.containers.map((c) => build(c, false)),
    failure:
      kind === "failed"
        ? {
            reason: "NodeRestarted",
            message: "The aegis-local node restarted while the pod was running: its processes are gone, and restartPolicy Never forbids running them again",
          }
        : undefined,
  };
  return { record, kind };
}
