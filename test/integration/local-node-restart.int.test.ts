/**
 * Restarts of the local node, with a second node started in-process (its own name and home), so
 * the shared aegis-local is not disturbed: a pod that was running when the node stopped is
 * never run twice under restartPolicy Never, and is run again under Always.
 */
import { randomBytes, randomInt } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startLocalNode, type LocalNode } from "../../src/local/node/node.ts";
import { core, createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";
import { processesMentioning } from "../helpers/processes.ts";

// Only on the cluster the tests started: elsewhere, creating a Node object is not ours to do.
describe.skipIf(!inject("ownCluster"))("local node restarts", () => {
  const name = `aegis-restart-${randomBytes(3).toString("hex")}`;
  let ns: string;
  let home: string;
  let node: LocalNode | undefined;
  const start = async (): Promise<void> => {
    node = await startLocalNode({ kubeConfig: kubeConfig(), name, home, log: pino({ level: "silent" }) });
  };

  beforeAll(async () => {
    ns = await createNamespace("local-node-restart");
    home = await mkdtemp(join(tmpdir(), "aegis-node-restart-"));
    await start();
  });
  afterAll(async () => {
    await node?.stop();
    await deleteNamespace(ns);
    await core().deleteNode({ name }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  });

  const read = (pod: string): Promise<V1Pod> => core().readNamespacedPod({ name: pod, namespace: ns });
  const running = (pod: string, restarts: number) =>
    eventually(async () => {
      const status = (await read(pod)).status?.containerStatuses?.[0];
      expect(status?.state?.running).toBeTruthy();
      expect(status?.restartCount).toBe(restarts);
    }, { message: `${pod} running with ${restarts} restarts` });

  it("registers under its own name and marks a started Never pod Failed after a restart", async () => {
    const ready = await core().readNode({ name });
    expect(ready.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");

    const never = `sleep ${randomInt(100_000, 999_999)}`;
    const always = `sleep ${randomInt(100_000, 999_999)}`;
    const pod = (podName: string, restartPolicy: string, command: string): V1Pod => ({
      metadata: { name: podName },
      spec: { nodeName: name, restartPolicy, containers: [{ name: "main", image: "busybox", command: ["sh", "-c", `exec ${command}`] }] },
    });
    await core().createNamespacedPod({ namespace: ns, body: pod("never", "Never", never) });
    await core().createNamespacedPod({ namespace: ns, body: pod("always", "Always", always) });
    await running("never", 0);
    await running("always", 0);

    await node?.stop();
    node = undefined;
    expect(await processesMentioning(never)).toEqual([]);
    expect(await processesMentioning(always)).toEqual([]);
    const stopped = await core().readNode({ name });
    expect(stopped.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");

    await start();
    const failed = await eventually(async () => {
      const p = await read("never");
      expect(p.status?.phase).toBe("Failed");
      return p;
    }, { message: "never Failed" });
    expect(failed.status?.reason).toBe("NodeRestarted");
    expect(failed.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe("ContainerStatusUnknown");
    expect(await processesMentioning(never)).toEqual([]);
    await running("always", 1);
    expect((await processesMentioning(always)).length).toBe(1);
  });
});
