// Fake nodes managed by kwok live beside aegis-local: kwok runs their pods (on paper), and the
// local node never touches a pod that is not bound to it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { core, createNamespace, deleteNamespace, eventually } from "../helpers/cluster.ts";

const FAKE_NODE = "kwok-fake-0";

describe.runIf(inject("kwok"))("kwok fake nodes", () => {
  let namespace: string;
  beforeAll(async () => {
    namespace = await createNamespace("kwok");
    await core().createNode({
      body: {
        metadata: { name: FAKE_NODE, annotations: { "kwok.x-k8s.io/node": "fake" }, labels: { type: "kwok" } },
        spec: { taints: [{ key: "kwok.x-k8s.io/node", value: "fake", effect: "NoSchedule" }] },
      },
    }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  });
  afterAll(async () => {
    await deleteNamespace(namespace);
  });

  it("become Ready and run their pods without aegis-local touching them", async () => {
    await eventually(async () => {
      const node = await core().readNode({ name: FAKE_NODE });
      expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }, { timeoutMs: 60_000, message: "the fake node is Ready" });

    await core().createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "on-fake-node" },
        spec: {
          nodeName: FAKE_NODE,
          tolerations: [{ key: "kwok.x-k8s.io/node", operator: "Exists", effect: "NoSchedule" }],
          containers: [{ name: "main", image: "busybox", command: ["sh", "-c", "echo should-never-run-locally; exit 7"] }],
        },
      },
    });
    const pod = await eventually(async () => {
      const p = await core().readNamespacedPod({ name: "on-fake-node", namespace });
      expect(p.status?.phase).toBe("Running");
      return p;
    }, { timeoutMs: 60_000, message: "kwok runs the pod" });
    // kwok's address range, not the local node's 127.0.0.1: the local node did not run it.
    expect(pod.status?.podIP).not.toBe("127.0.0.1");
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toBeUndefined();
  });
});
