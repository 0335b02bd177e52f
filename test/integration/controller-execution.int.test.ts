// The Execution controller in-process against the real control plane, its iteration pods run as
// real processes on the local node aegis-local (a shell command stands in for the agent runtime):
// phases seen by a watch, refinement after a failed iteration, cancel, an Agent that is not
// Ready, and exactly one pod per iteration however often it is reconciled.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executionController } from "../../controllers/execution/index.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { isNotFound } from "../../src/kube/errors.ts";
import { AGENTS, EXECUTIONS, NODES, PODS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { phaseRecorder, waitForPhase, type ExecutionObject } from "../helpers/executions.ts";
import { createNamespace, deleteNamespace, eventually, hasLocalNode, kubeConfig } from "../helpers/cluster.ts";
import { startControllers, type RunningControllers } from "../helpers/controllers.ts";

const NODE = "aegis-local";
const suffix = randomBytes(3).toString("hex");
const TAG = `exec-test-${suffix}`;
const FIELD_MANAGER = `test-execution-${suffix}`;
const IMAGE = "docker.io/library/busybox:1.36";
let kube: KubeClient;
let namespace: string;
let running: RunningControllers;
let scratch: string;
/** What the controller reports as status.policyRevision in the test namespace. */
let policyRevision = "rev-1@c0ffee";
const recordPhases = phaseRecorder(() => kube);

const time = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

async function createAgent(name: string, script: string, execution: Record<string, unknown> = {}): Promise<void> {
  await kube.create(AGENTS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace },
    spec: {
      runtime: { image: IMAGE }, task: { instruction: "test" }, execution,
      placement: { tags: [TAG] }, env: [{ name: "TEST_SCRIPT", value: script }],
    },
  });
}

/** Plays the Agent controller: the Agent resolved its image and is Ready. */
const markReady = (name: string) => kube.applyStatus(AGENTS, {
  apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace },
  status: { image: IMAGE, conditions: [{ type: "Ready", status: "True", reason: "Resolved", message: "test", lastTransitionTime: time() }] },
}, { fieldManager: FIELD_MANAGER, force: true });

const createExecution = (name: string, agent: string) => kube.create(EXECUTIONS, {
  apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: agent } },
});

const get = (name: string) => kube.get<ExecutionObject>(EXECUTIONS, namespace, name);

const podsOf = async (name: string) => (await kube.list(PODS, { namespace, labelSelector: `aegis.dev/execution=${name}` })).items;

describe.skipIf(!hasLocalNode())("Execution controller on the local node", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("execution");
    scratch = mkdtempSync(join(tmpdir(), "aegis-exec-"));
    // Plays the NodeConfig controller: aegis-local carries the agents' placement tag (kwok nodes do not).
    await kube.apply(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: NODE, labels: { [`tag.aegis.dev/${TAG}`]: "true" } } }, { fieldManager: FIELD_MANAGER, force: true });
    running = await startControllers([executionController({ command: ["sh", "-c", "$(TEST_SCRIPT)"], gatewayUrl: "http://127.0.0.1:1", policyRevision: (ns) => (ns === namespace ? policyRevision : undefined) })], undefined, { namespaces: [namespace] });
  });

  afterAll(async () => {
    await running?.stop();
    await kube?.apply(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: NODE } }, { fieldManager: FIELD_MANAGER, force: true });
    if (namespace) await deleteNamespace(namespace);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("waits for an Agent that is not Ready, then runs one iteration that exits 0: Succeeded", async () => {
    await createAgent("ok", "exit 0");
    const phases = await recordPhases(namespace, "ok-run");
    await createExecution("ok-run", "ok");
    await eventually(async () => {
      const ready = (await get("ok-run")).status?.conditions?.find((c) => c.type === "Ready");
      expect([ready?.status, ready?.reason]).toEqual(["False", "AgentNotReady"]);
    }, { message: "ok-run waits with AgentNotReady" });
    expect(await podsOf("ok-run")).toHaveLength(0);

    await markReady("ok");
    const done = await waitForPhase(kube, namespace, "ok-run", "Succeeded");
    expect(done.status).toMatchObject({ iterationDisplay: "1/1", reason: "ValidatorsPassed", score: 1, policyRevision: "rev-1@c0ffee", depth: 0 });
    await eventually(() => expect(phases).toEqual(["Pending", "Running", "Validating", "Succeeded"]), { message: "phase sequence" });
    const pods = await podsOf("ok-run");
    expect(pods.map((p) => p.metadata.name)).toEqual(["ok-run-1"]);
    expect((pods[0]?.spec as { nodeName?: string }).nodeName).toBe(NODE);
  });

  it("refines after a failed first iteration and succeeds on the second", async () => {
    const marker = join(scratch, "marker");
    await createAgent("refine", `test -f ${marker} && exit 0; touch ${marker}; exit 1`, { mode: "Iterative", maxIterations: 3 });
    await markReady("refine");
    const phases = await recordPhases(namespace, "refine-run");
    await createExecution("refine-run", "refine");
    const done = await waitForPhase(kube, namespace, "refine-run", "Succeeded");
    expect(done.status?.iterationDisplay).toBe("2/3");
    expect((done.status as { iterations?: unknown[] }).iterations).toMatchObject([
      { number: 1, phase: "Failed", exitCode: 1, podName: "refine-run-1" },
      { number: 2, phase: "Succeeded", exitCode: 0, podName: "refine-run-2" },
    ]);
    // The Agent is Ready from the start, so the first status written is already Running.
    await eventually(() => expect(phases).toEqual(["Pending", "Running", "Validating", "Refining", "Running", "Validating", "Succeeded"]), { message: "phase sequence" });
  });

  it("records the nesting depth spawn admission reads: a child one deeper than its parent, a grandchild two", async () => {
    const spawn = (name: string, parent: string) => kube.create(EXECUTIONS, {
      apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: "ok" }, parentRef: parent },
    });
    await spawn("ok-child", "ok-run");
    await eventually(async () => expect((await get("ok-child")).status).toMatchObject({ depth: 1 }), { message: "the child's depth" });
    await spawn("ok-grandchild", "ok-child");
    const grandchild = await waitForPhase(kube, namespace, "ok-grandchild", "Succeeded");
    expect(grandchild.status).toMatchObject({ depth: 2 });
  });

  it("never makes a second pod for an iteration, however often it is reconciled", async () => {
    // A policy change after the run ended does not rewrite its revision.
    policyRevision = "rev-2";
    for (let i = 0; i < 5; i++) {
      for (const name of ["ok-run", "refine-run"]) {
        await kube.jsonPatch(EXECUTIONS, namespace, name, [{ op: "add", path: "/metadata/annotations", value: { "test.aegis.dev/poke": String(i) } }]);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await podsOf("ok-run")).map((p) => p.metadata.name)).toEqual(["ok-run-1"]);
    expect((await podsOf("refine-run")).map((p) => p.metadata.name).sort()).toEqual(["refine-run-1", "refine-run-2"]);
    expect((await get("refine-run")).status?.phase).toBe("Succeeded");
    expect((await get("ok-run")).status).toMatchObject({ policyRevision: "rev-1@c0ffee" });
  });

  it("cancels mid-run: the pod is deleted and the Execution ends Cancelled", async () => {
    await createAgent("slow", "sleep 60");
    await markReady("slow");
    await createExecution("slow-run", "slow");
    await eventually(async () => {
      const [pod] = await podsOf("slow-run");
      expect((pod?.status as { phase?: string } | undefined)?.phase).toBe("Running");
    }, { message: "slow-run-1 running" });
    await kube.jsonPatch(EXECUTIONS, namespace, "slow-run", [{ op: "replace", path: "/spec/cancel", value: true }]);
    const done = await waitForPhase(kube, namespace, "slow-run", "Cancelled");
    expect(done.status?.conditions?.find((c) => c.type === "Cancelled")).toMatchObject({ status: "True", reason: "Cancelled" });
    await eventually(async () => {
      const gone = await kube.get(PODS, namespace, "slow-run-1").then(() => false, (err: unknown) => isNotFound(err));
      expect(gone).toBe(true);
    }, { timeoutMs: 30_000, message: "slow-run-1 deleted" });
  });
});
