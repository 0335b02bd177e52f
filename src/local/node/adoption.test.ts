import { describe, expect, it } from "vitest";
import { initialRecord, statusShowsStarted } from "./adoption.ts";
import { podPhase } from "./pod-status.ts";
import { testPod } from "./test-pods.ts";

const net = { hostIP: "127.0.0.1", podIP: "127.0.0.1" };
const now = new Date("2026-01-01T00:00:10Z");
const spec = (restartPolicy: string) => ({
  restartPolicy,
  initContainers: [{ name: "init", image: "busybox" }],
  containers: [
    { name: "a", image: "busybox" },
    { name: "b", image: "busybox" },
  ],
});
const startedStatus = {
  startTime: "2026-01-01T00:00:00Z",
  initContainerStatuses: [{ name: "init", restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed", finishedAt: "2026-01-01T00:00:01Z" } } }],
  containerStatuses: [
    { name: "a", restartCount: 0, state: { running: { startedAt: "2026-01-01T00:00:02Z" } } },
    { name: "b", restartCount: 2, state: { terminated: { exitCode: 0, reason: "Completed", finishedAt: "2026-01-01T00:00:03Z" } } },
  ],
};

describe("initialRecord", () => {
  it("starts a new pod with every container waiting", () => {
    const { record, kind } = initialRecord(testPod(spec("Never")), net, false, now);
    expect(kind).toBe("fresh");
    expect(record.init.map((c) => c.current)).toEqual([{ state: "waiting", reason: "ContainerCreating" }]);
    expect(record.containers.map((c) => c.current)).toEqual([
      { state: "waiting", reason: "PodInitializing" },
      { state: "waiting", reason: "PodInitializing" },
    ]);
    expect(podPhase(record)).toBe("Pending");
  });

  it("fails a started pod under Never instead of running it twice", () => {
    const { record, kind } = initialRecord(testPod(spec("Never"), {}, startedStatus), net, true, now);
    expect(kind).toBe("failed");
    expect(record.failure?.reason).toBe("NodeRestarted");
    expect(record.containers[0]?.current).toMatchObject({ state: "terminated", exitCode: 137, reason: "ContainerStatusUnknown" });
    expect(record.containers[1]?.current).toMatchObject({ state: "terminated", exitCode: 0, reason: "Completed" });
    expect(record.startTime).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(podPhase(record)).toBe("Failed");
  });

  it("resumes a started pod under OnFailure: finished parts stay, the rest counts a restart", () => {
    const { record, kind } = initialRecord(testPod(spec("OnFailure"), {}, startedStatus), net, true, now);
    expect(kind).toBe("resume");
    expect(record.init[0]?.current).toMatchObject({ state: "terminated", exitCode: 0 });
    expect(record.containers[0]).toMatchObject({ restartCount: 1, current: { state: "waiting" }, last: { reason: "ContainerStatusUnknown" } });
    expect(record.containers[1]).toMatchObject({ restartCount: 2, current: { state: "terminated", exitCode: 0 } });
  });

  it("restarts even finished containers under Always", () => {
    const { record } = initialRecord(testPod(spec("Always"), {}, startedStatus), net, true, now);
    expect(record.containers[1]).toMatchObject({ restartCount: 3, current: { state: "waiting" }, last: { exitCode: 0 } });
  });

  it("tells a started status from a fresh one", () => {
    expect(statusShowsStarted(testPod(spec("Never")))).toBe(false);
    expect(statusShowsStarted(testPod(spec("Never"), {}, startedStatus))).toBe(true);
  });
});
