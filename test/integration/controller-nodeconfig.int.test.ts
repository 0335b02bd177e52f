// The NodeConfig controller in-process against the real control plane: node selection, tag
// labels under its own field manager, capacity, provider checks, recovery without restart,
// idempotence (no spurious writes), a conflict storm, release on deletion, garbage specs.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeConfigController } from "../../controllers/nodeconfig/index.ts";
import { Reason } from "../../controllers/nodeconfig/reasons.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { isKubeApiError } from "../../src/kube/errors.ts";
import { NODECONFIGS, NODES, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";
import { startControllers, type RunningControllers } from "../helpers/controllers.ts";
import { assertIdle, count, instrument, newCounters } from "../helpers/instrument.ts";

type NodeConfig = KubeObject & { status?: { observedGeneration?: number; matchedNodes?: number; nodeNames?: string[]; capacity?: Record<string, string>; conditions?: { type: string; status: string; reason: string; message: string }[] } };

const suffix = randomBytes(3).toString("hex");
const POOL = "test.aegis.dev/pool";
const NODE_NAMES = [0, 1].map((i) => `nc-test-${suffix}-${i}`);
const SECRET_VALUE = `sk-do-not-leak-${suffix}`;
const counters = newCounters();
const created: string[] = [];
let kube: KubeClient;
let namespace: string;
let running: RunningControllers;

const nodeConfig = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: `${name}-${suffix}` }, spec });
const getNC = (name: string) => kube.get<NodeConfig>(NODECONFIGS, undefined, `${name}-${suffix}`);
const getNode = (name: string) => kube.get(NODES, undefined, name);
const selector = (pool = suffix) => ({ matchLabels: { [POOL]: pool } });

async function createNC(name: string, spec: Record<string, unknown>): Promise<void> {
  created.push(`${name}-${suffix}`);
  await kube.create(NODECONFIGS, nodeConfig(name, spec));
}

async function waitForReady(name: string, status: "True" | "False", reason: string): Promise<NodeConfig> {
  return eventually(async () => {
    const nc = await getNC(name);
    const ready = nc.status?.conditions?.find((c) => c.type === "Ready");
    expect([ready?.status, ready?.reason, nc.status?.observedGeneration]).toEqual([status, reason, nc.metadata.generation]);
    return nc;
  }, { message: `NodeConfig ${name} Ready=${status} ${reason}` });
}

const labelsOf = async (node: string) => (await getNode(node)).metadata.labels ?? {};
const tagLabels = (labels: Record<string, string>) => Object.keys(labels).filter((k) => k.startsWith("tag.aegis.dev/")).sort();
const patchSpec = (name: string, path: string, value: unknown) =>
  kube.jsonPatch(NODECONFIGS, undefined, `${name}-${suffix}`, [{ op: "add", path: `/spec/${path}`, value }]);

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("ctl-nodeconfig");
  for (const name of NODE_NAMES) {
    await kube.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name, labels: { [POOL]: suffix, keep: "me" } } });
    await kube.applyStatus(NODES, { apiVersion: "v1", kind: "Node", metadata: { name }, status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } } }, { fieldManager: "test-kubelet", force: true });
  }
  running = await startControllers([instrument(nodeConfigController(), counters)]);
});

afterAll(async () => {
  // Deleting while the controller runs lets its finalizer release the nodes.
  await Promise.all(created.map((name) => kube.delete(NODECONFIGS, undefined, name)));
  await eventually(async () => {
    for (const name of created) await expect(kube.get(NODECONFIGS, undefined, name)).rejects.toThrow();
  }, { message: "NodeConfigs deleted" }).catch(() => undefined);
  await running?.stop();
  // Whatever is left (a slow deletion) must not stay stuck on a finalizer nobody serves.
  await Promise.all(created.map((name) => kube.jsonPatch(NODECONFIGS, undefined, name, [{ op: "remove", path: "/metadata/finalizers" }]).catch(() => undefined)));
  await Promise.all(NODE_NAMES.map((name) => kube.delete(NODES, undefined, name)));
  if (namespace) await deleteNamespace(namespace);
});

describe("NodeConfig controller", () => {
  it("selects nodes, labels them with its tags and reports count, names and capacity", async () => {
    await createNC("sel", { type: "Edge", nodeSelector: selector(), tags: ["gpu", "eu"] });
    const nc = await waitForReady("sel", "True", Reason.NodesSelected);
    expect(nc.status).toMatchObject({ matchedNodes: 2, nodeNames: NODE_NAMES, capacity: { cpu: "8", memory: "16Gi", pods: "220" } });
    await eventually(async () => {
      for (const node of NODE_NAMES) {
        const labels = await labelsOf(node);
        expect(tagLabels(labels)).toEqual(["tag.aegis.dev/eu", "tag.aegis.dev/gpu"]);
        expect(labels.keep).toBe("me");
      }
    });
  });

  it("removing a tag removes its label and leaves other labels alone", async () => {
    await patchSpec("sel", "tags", ["eu"]);
    await eventually(async () => {
      for (const node of NODE_NAMES) {
        const labels = await labelsOf(node);
        expect(tagLabels(labels)).toEqual(["tag.aegis.dev/eu"]);
        expect(labels.keep).toBe("me");
      }
    });
  });

  it("a node that stops matching is released and no longer counted", async () => {
    await kube.jsonPatch(NODES, undefined, NODE_NAMES[1] ?? "", [{ op: "replace", path: `/metadata/labels/${POOL.replace("/", "~1")}`, value: `away-${suffix}` }]);
    await eventually(async () => {
      expect((await getNC("sel")).status).toMatchObject({ matchedNodes: 1, nodeNames: [NODE_NAMES[0]], capacity: { cpu: "4" } });
      expect(tagLabels(await labelsOf(NODE_NAMES[1] ?? ""))).toEqual([]);
    });
    await kube.jsonPatch(NODES, undefined, NODE_NAMES[1] ?? "", [{ op: "replace", path: `/metadata/labels/${POOL.replace("/", "~1")}`, value: suffix }]);
    await eventually(async () => expect((await getNC("sel")).status?.matchedNodes).toBe(2));
  });

  it("reports NoNodesMatched until a node matches, then recovers without a restart", async () => {
    await createNC("late", { type: "Edge", nodeSelector: selector(`late-${suffix}`) });
    await waitForReady("late", "False", Reason.NoNodesMatched);
    await kube.jsonPatch(NODES, undefined, NODE_NAMES[0] ?? "", [{ op: "add", path: "/metadata/labels/late", value: "yes" }]);
    await patchSpec("late", "nodeSelector", { matchLabels: { late: "yes" } });
    await waitForReady("late", "True", Reason.NodesSelected);
  });

  it("checks provider Secrets and keys, and recovers when they appear; never leaks the key", async () => {
    const provider = { name: "openai", type: "openai", apiKeySecretRef: { namespace, name: "llm-keys", key: "openai" }, models: [{ alias: "default", model: "gpt-4o" }] };
    // Nothing watches Secrets: each step below is noticed by the controller's requeue (5 s while a Secret or key is missing).
    await createNC("orch", { type: "Orchestrator", nodeSelector: selector(), llmProviders: [provider] });
    await waitForReady("orch", "False", Reason.ProviderSecretMissing);
    await kube.create(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "llm-keys", namespace }, stringData: { other: SECRET_VALUE } });
    await waitForReady("orch", "False", Reason.ProviderSecretKeyMissing);
    await kube.apply(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "llm-keys", namespace }, stringData: { openai: SECRET_VALUE } }, { fieldManager: "test", force: true });
    const nc = await waitForReady("orch", "True", Reason.NodesSelected);
    expect(JSON.stringify(nc)).not.toContain(SECRET_VALUE);
  });

  it("reports DuplicateModelAlias and recovers when the spec is fixed", async () => {
    const models = (alias: string) => [{ alias, model: "m" }];
    await createNC("dup", {
      type: "Hybrid", nodeSelector: selector(),
      llmProviders: [{ name: "a", type: "ollama", models: models("fast") }, { name: "b", type: "ollama", models: models("fast") }],
    });
    await waitForReady("dup", "False", Reason.DuplicateModelAlias);
    await patchSpec("dup", "llmProviders/1/models", models("slow"));
    await waitForReady("dup", "True", Reason.NodesSelected);
  });

  it("reconciling again yields the same state and writes nothing", async () => {
    await createNC("steady", { type: "Edge", nodeSelector: selector(), tags: ["steady"] });
    await waitForReady("steady", "True", Reason.NodesSelected);
    const key = `steady-${suffix}`;
    // Converged: no reconcile in flight; take that state.
    await eventually(() => assertIdle(counters, key), { message: "no reconcile in flight" });
    const before = await getNC("steady");
    const completed = count(counters.completed, key);
    const [reconciles, writes] = [count(counters.reconciles, key), count(counters.statusWrites, key)];
    const nodeApplies = NODE_NAMES.map((n) => count(counters.applies, n));
    // Touching a selected node re-reconciles the NodeConfig: an extra reconcile of a converged one.
    await kube.jsonPatch(NODES, undefined, NODE_NAMES[0] ?? "", [{ op: "add", path: "/metadata/labels/touched", value: "1" }]);
    await eventually(() => expect(count(counters.reconciles, key)).toBeGreaterThan(reconciles), { message: "an extra reconcile" });
    await eventually(() => assertIdle(counters, key, completed + 1), { message: "the extra reconcile finished" });
    const after = await getNC("steady");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.status).toEqual(before.status);
    expect(count(counters.statusWrites, key)).toBe(writes);
    expect(NODE_NAMES.map((n) => count(counters.applies, n))).toEqual(nodeApplies);
  });

  it("converges through a conflict storm on node labels and its own spec", async () => {
    await createNC("storm", { type: "Edge", nodeSelector: selector(), tags: ["storm-a"] });
    await waitForReady("storm", "True", Reason.NodesSelected);
    const deadline = Date.now() + 5000;
    for (let round = 0; Date.now() < deadline; round++) {
      await Promise.all([
        // Another writer keeps changing the nodes' labels, even stripping ours.
        ...NODE_NAMES.map((node) => kube.jsonPatch(NODES, undefined, node, [
          { op: "add", path: "/metadata/labels/storm-round", value: String(round) },
          ...(round % 3 === 0 ? [{ op: "remove" as const, path: "/metadata/labels/tag.aegis.dev~1storm-a" }] : []),
        ]).catch(() => undefined)),
        patchSpec("storm", "tags", round % 2 === 0 ? ["storm-a", "storm-b"] : ["storm-a"]),
      ]);
    }
    await patchSpec("storm", "tags", ["storm-a", "storm-c"]);
    await waitForReady("storm", "True", Reason.NodesSelected);
    await eventually(async () => {
      for (const node of NODE_NAMES) {
        const tags = tagLabels(await labelsOf(node)).filter((k) => k.includes("storm"));
        expect(tags).toEqual(["tag.aegis.dev/storm-a", "tag.aegis.dev/storm-c"]);
      }
    }, { message: "labels converge to the final tags" });
    expect(counters.errors.filter((e) => !(isKubeApiError(e) && e.reason === "Conflict"))).toEqual([]);
  }, 60_000);

  it("deleting a NodeConfig releases its labels (finalizer)", async () => {
    await createNC("bye", { type: "Edge", nodeSelector: selector(), tags: ["bye"] });
    await waitForReady("bye", "True", Reason.NodesSelected);
    await eventually(async () => expect(tagLabels(await labelsOf(NODE_NAMES[0] ?? ""))).toContain("tag.aegis.dev/bye"));
    await kube.delete(NODECONFIGS, undefined, `bye-${suffix}`);
    await eventually(async () => {
      await expect(getNC("bye")).rejects.toThrow();
      for (const node of NODE_NAMES) expect(tagLabels(await labelsOf(node))).not.toContain("tag.aegis.dev/bye");
    }, { message: "labels released and the NodeConfig gone" });
  });

  it("garbage specs the API server accepts get a Ready condition; the process keeps reconciling", async () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const model = fc.record({ alias: fc.oneof(word, fc.string()), model: fc.string() });
    const spec = fc.record({
      type: fc.constantFrom("Orchestrator", "Edge", "Hybrid", "Other"),
      nodeSelector: fc.oneof(fc.constant(selector()), fc.record({ matchExpressions: fc.array(fc.record({ key: word, operator: fc.constantFrom("In", "Exists", "Bogus"), values: fc.array(word) }), { maxLength: 2 }) })),
      tags: fc.uniqueArray(word, { maxLength: 3 }),
      llmProviders: fc.array(fc.record({ name: word, type: fc.constantFrom("ollama", "openai"), models: fc.array(model, { maxLength: 2 }) }), { maxLength: 2 }),
      extra: fc.jsonValue(),
    }, { requiredKeys: ["type"] });
    let accepted = 0;
    let i = 0;
    await fc.assert(fc.asyncProperty(spec, async (s) => {
      const name = `garbage-${i++}`;
      try {
        await createNC(name, s);
      } catch (err) {
        if (isKubeApiError(err) && (err.reason === "Invalid" || err.reason === "BadRequest")) return;
        throw err;
      }
      accepted++;
      await eventually(async () => {
        const nc = await getNC(name);
        expect(nc.status?.observedGeneration).toBe(nc.metadata.generation);
        expect(nc.status?.conditions?.map((c) => c.type)).toEqual(["Ready"]);
      }, { message: `NodeConfig ${name} has Ready` });
    }), { numRuns: 40 });
    console.log(`garbage NodeConfigs: ${accepted} of 40 accepted by the API server, each got Ready`);
    await createNC("after-garbage", { type: "Edge", nodeSelector: selector() });
    await waitForReady("after-garbage", "True", Reason.NodesSelected);
    expect(counters.errors.filter((e) => !isKubeApiError(e))).toEqual([]);
  }, 120_000);
});
