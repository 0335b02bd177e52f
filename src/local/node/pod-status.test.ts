import { describe, expect, it } from "vitest";
import { buildPodStatus, kubeTime, podPhase, terminatedState, type ContainerRecord, type ContainerState, type PodRecord, type RestartPolicy } from "./pod-status.ts";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T00:00:05Z");
const waiting: ContainerState = { state: "waiting", reason: "ContainerCreating" };
const running: ContainerState = { state: "running", startedAt: t0 };
const exited = (exitCode: number): ContainerState => ({ state: "terminated", exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt: t0, finishedAt: t1 });

function c(name: string, current: ContainerState, extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return { name, image: "busybox", current, restartCount: 0, ...extra };
}

function record(containers: ContainerRecord[], init: ContainerRecord[] = [], restartPolicy: RestartPolicy = "Never", extra: Partial<PodRecord> = {}): PodRecord {
  return { restartPolicy, hostIP: "127.0.0.1", podIP: "127.0.0.1", startTime: t0, init, containers, ...extra };
}

describe("podPhase", () => {
  it.each([
    ["Pending", record([c("a", waiting)]), "a container not started yet"],
    ["Pending", record([c("a", waiting)], [c("i", running)]), "an init container running"],
    ["Failed", record([c("a", waiting)], [c("i", exited(1))]), "an init container failed under Never"],
    ["Pending", record([c("a", waiting)], [c("i", exited(1))], "OnFailure"), "an init container failed, to be restarted"],
    ["Running", record([c("a", running), c("b", exited(0))]), "one running, one done"],
    ["Succeeded", record([c("a", exited(0)), c("b", exited(0))]), "all done with 0"],
    ["Failed", record([c("a", exited(0)), c("b", exited(2))]), "one failed under Never"],
    ["Running", record([c("a", exited(2))], [], "OnFailure"), "failed, OnFailure restarts"],
    ["Running", record([c("a", { state: "waiting", reason: "CrashLoopBackOff" }, { last: exited(1) as never, restartCount: 1 })], [], "OnFailure"), "backing off"],
    ["Succeeded", record([c("a", exited(0))], [], "OnFailure"), "done under OnFailure"],
    ["Running", record([c("a", exited(0))], [], "Always"), "done under Always restarts"],
    ["Failed", record([c("a", running)], [], "Always", { failure: { reason: "DeadlineExceeded", message: "m" } }), "a pod-level failure"],
  ])("is %s given %s", (phase, rec, _why) => {
    expect(podPhase(rec)).toBe(phase);
  });
});

describe("buildPodStatus", () => {
  it("reports a running pod with its addresses, times and conditions", () => {
    const s = buildPodStatus(record([c("a", running, { containerID: "aegis://u/a/0" })]), [], t1);
    expect(s).toMatchObject({
      phase: "Running",
      hostIP: "127.0.0.1",
      hostIPs: [{ ip: "127.0.0.1" }],
      podIP: "127.0.0.1",
      podIPs: [{ ip: "127.0.0.1" }],
      startTime: "2026-01-01T00:00:00Z",
      containerStatuses: [{ name: "a", ready: true, started: true, restartCount: 0, containerID: "aegis://u/a/0", state: { running: { startedAt: "2026-01-01T00:00:00Z" } }, lastState: {} }],
    });
    const conditions = Object.fromEntries((s.conditions as { type: string; status: string }[]).map((x) => [x.type, x.status]));
    expect(conditions).toEqual({ PodReadyToStartContainers: "True", Initialized: "True", ContainersReady: "True", Ready: "True", PodScheduled: "True" });
  });

  it("reports a finished pod's exit, reason and PodCompleted readiness", () => {
    const s = buildPodStatus(record([c("a", exited(3))]), [], t1);
    expect(s.phase).toBe("Failed");
    expect((s.containerStatuses as { state: unknown }[])[0]?.state).toEqual({
      terminated: { exitCode: 3, reason: "Error", startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:05Z" },
    });
    expect((s.conditions as { type: string; reason?: string }[]).find((x) => x.type === "Ready")?.reason).toBe("PodCompleted");
  });

  it("names the pending init containers and unready containers", () => {
    const s = buildPodStatus(record([c("a", { state: "waiting", reason: "PodInitializing" })], [c("i1", exited(0)), c("i2", running)]), [], t1);
    const byType = Object.fromEntries((s.conditions as { type: string; message?: string }[]).map((x) => [x.type, x.message]));
    expect(byType.Initialized).toBe("containers with incomplete status: [i2]");
    expect(byType.Ready).toBe("containers with unready status: [a]");
    expect(s.initContainerStatuses).toHaveLength(2);
  });

  it("carries a pod-level failure as reason and message", () => {
    const s = buildPodStatus(record([c("a", exited(143))], [], "Never", { failure: { reason: "DeadlineExceeded", message: "too long" } }), [], t1);
    expect(s).toMatchObject({ phase: "Failed", reason: "DeadlineExceeded", message: "too long" });
  });

  it("keeps lastTransitionTime while a condition's status holds", () => {
    const earlier = new Date("2025-12-31T00:00:00Z");
    const s = buildPodStatus(record([c("a", running)]), [{ type: "Ready", status: "True", lastTransitionTime: earlier }, { type: "Initialized", status: "False", lastTransitionTime: earlier }], t1);
    const byType = Object.fromEntries((s.conditions as { type: string; lastTransitionTime: string }[]).map((x) => [x.type, x.lastTransitionTime]));
    expect(byType.Ready).toBe("2025-12-31T00:00:00Z");
    expect(byType.Initialized).toBe("2026-01-01T00:00:05Z");
  });

  it("omits the pod IP and start time before the pod started", () => {
    const s = buildPodStatus(record([c("a", waiting)], [], "Never", { startTime: undefined }), [], t1);
    expect(s.podIP).toBeUndefined();
    expect(s.startTime).toBeUndefined();
  });
});

describe("terminatedState", () => {
  it.each([
    [{ kind: "exited", exitCode: 0, signal: undefined, finishedAt: t1 } as const, { exitCode: 0, reason: "Completed" }],
    [{ kind: "exited", exitCode: 143, signal: 15, finishedAt: t1 } as const, { exitCode: 143, reason: "Error", signal: 15 }],
    [{ kind: "start-error", message: "exec: not found", finishedAt: t1 } as const, { exitCode: 128, reason: "StartError", message: "exec: not found" }],
  ])("maps %j", (end, expected) => {
    expect(terminatedState(end, t0)).toMatchObject({ state: "terminated", startedAt: t0, finishedAt: t1, ...expected });
  });

  it("formats times as Kubernetes does", () => {
    expect(kubeTime(t0)).toBe("2026-01-01T00:00:00Z");
  });
});
