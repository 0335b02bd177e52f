// The controllers through a kube-apiserver restart, on a private control plane: every change
// made while their watches were down or reconnecting is reconciled, none is lost (counted).
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControllers } from "../../controllers/index.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, NAMESPACES, NODECONFIGS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { installBase } from "../../src/local/cluster.ts";
import { startControlPlane, type ControlPlane } from "../../src/local/controlplane/controlplane.ts";
import { runPool } from "../../bench/stats.ts";
import { eventually } from "../helpers/eventually.ts";
import { startControllers, type RunningControllers } from "../helpers/controllers.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";
import { validAgent, validNodeConfig } from "../fixtures/aegis.ts";

type Agent = KubeObject & { status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason: string }[] } };

const tempDir = tempDirs();
const NAMESPACE = "restart";
const BEFORE = 40;
const AFTER = 20;
let cp: ControlPlane;
let writer: KubeClient;
let controllers: RunningControllers;

beforeAll(async () => {
  cp = await startControlPlane({ home: await tempDir("aegis-controller-restart"), controllerManager: false, scheduler: false });
  await installBase(cp.binaries.kubernetes.binaries.kubectl!, cp.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfig);
  writer = createKubeClient(kc);
  await writer.create(NAMESPACES, { metadata: { name: NAMESPACE } });
  await writer.create(NODECONFIGS, validNodeConfig("orchestrator"));
  controllers = await startControllers(createControllers(), cp.kubeconfig);
}, 300_000);
afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

const agent = (name: string): KubeObject => ({ ...validAgent(), metadata: { name, namespace: NAMESPACE } }) as KubeObject;

function ready(a: Agent): { status: string; reason: string } | undefined {
  const c = a.status?.conditions?.find((x) => x.type === "Ready");
  return c && a.status?.observedGeneration === a.metadata.generation ? { status: c.status, reason: c.reason } : undefined;
}

async function readiness(): Promise<Map<string, { status: string; reason: string } | undefined>> {
  const { items } = await writer.list<Agent>(AGENTS, { namespace: NAMESPACE });
  return new Map(items.map((a) => [a.metadata.name!, ready(a)]));
}

describe("a kube-apiserver restart under the controllers", () => {
  it("loses no change made while the watches were down", { timeout: 300_000 }, async () => {
    const before = Array.from({ length: BEFORE }, (_, i) => `before-${i}`);
    await runPool(before.length, 8, async (i) => void (await writer.create(AGENTS, agent(before[i]!))));
    await eventually(async () => {
      const states = await readiness();
      expect(before.filter((n) => states.get(n)?.status !== "True")).toEqual([]);
    }, { timeoutMs: 60_000, message: "every Agent Ready before the restart" });

    await cp.restart("kube-apiserver");
    // Straight away, while the controllers' informers are still reconnecting: break half of the
    // existing Agents (an unknown language version) and create new ones.
    const broken = before.slice(0, BEFORE / 2);
    await runPool(broken.length, 8, async (i) => {
      await writer.jsonPatch(AGENTS, NAMESPACE, broken[i]!, [{ op: "replace", path: "/spec/runtime/version", value: "0.1" }]);
    });
    const after = Array.from({ length: AFTER }, (_, i) => `after-${i}`);
    await runPool(after.length, 8, async (i) => void (await writer.create(AGENTS, agent(after[i]!))));

    await eventually(async () => {
      const states = await readiness();
      const wrong = [...states].filter(([name, s]) =>
        broken.includes(name) ? s?.status !== "False" || s.reason !== "UnknownLanguageVersion" : s?.status !== "True");
      expect(wrong.map(([name, s]) => `${name}: ${s?.status ?? "-"} ${s?.reason ?? ""}`)).toEqual([]);
      expect(states.size).toBe(BEFORE + AFTER);
    }, { timeoutMs: 90_000, intervalMs: 250, message: "every change made across the restart reconciled" });
  });
});
