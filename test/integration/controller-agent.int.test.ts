// The Agent controller in-process against the real control plane: every Ready rule with its
// reason, recovery without restart, idempotence (no spurious writes), a conflict storm, 1,000
// Agents, and garbage specs.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentController } from "../../controllers/agent/index.ts";
import { Reason } from "../../controllers/agent/reasons.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { isKubeApiError } from "../../src/kube/errors.ts";
import { AGENTS, CONFIGMAPS, EVENTS, NODECONFIGS, VOLUMES } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { validAgent, validVolume, variant, type Manifest } from "../fixtures/aegis.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";
import { startControllers, type RunningControllers } from "../helpers/controllers.ts";
import { assertIdle, count, instrument, newCounters } from "../helpers/instrument.ts";

type Agent = KubeObject & { spec: Record<string, unknown>; status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason: string }[]; image?: string; model?: string; provider?: string } };

const suffix = randomBytes(3).toString("hex");
const ALIAS = `alias-${suffix}`;
const ORCHESTRATOR = `agent-test-orch-${suffix}`;
const IMAGE = "ghcr.io/aegis-dev/runtime-python:3.12";
const counters = newCounters();
let kube: KubeClient;
let namespace: string;
let running: RunningControllers;

const registryRef = () => ({ namespace, name: "runtime-registry" });
const registry = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { ...registryRef() }, data });

/** An orchestrator NodeConfig that selects no node (so a NodeConfig controller elsewhere leaves nodes alone). */
const orchestrator = (aliases: string[]) => ({
  apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: ORCHESTRATOR },
  spec: {
    type: "Orchestrator", nodeSelector: { matchLabels: { "test.aegis.dev/none": suffix } }, tags: [`tag-${suffix}`],
    llmProviders: [{ name: "local", type: "ollama", models: aliases.map((alias) => ({ alias, model: `llama-${alias}` })) }],
    mcpServers: [{ name: `mcp-${suffix}`, command: ["true"] }],
  },
});

function agent(name: string, edit: (m: Manifest & { spec: Record<string, never> }) => void = () => {}, ns = namespace): Agent {
  return variant(validAgent(), (m) => {
    m.metadata = { name, namespace: ns } as Manifest["metadata"];
    m.spec.runtime.model = ALIAS;
    edit(m as never);
  }) as unknown as Agent;
}

const get = (name: string, ns = namespace) => kube.get<Agent>(AGENTS, ns, name);
const condition = (a: Agent, type: string) => a.status?.conditions?.find((c) => c.type === type);

/** Waits until the Agent's Ready has `status` and `reason` for its current generation. */
async function waitForReady(name: string, status: "True" | "False", reason: string, timeoutMs = 30_000): Promise<Agent> {
  return eventually(async () => {
    const a = await get(name);
    const ready = condition(a, "Ready");
    expect([ready?.status, ready?.reason, a.status?.observedGeneration]).toEqual([status, reason, a.metadata.generation]);
    return a;
  }, { timeoutMs, message: `agent ${name} Ready=${status} ${reason}` });
}

const setSpec = (name: string, path: string, value: unknown) =>
  kube.jsonPatch(AGENTS, namespace, name, [{ op: "add", path: `/spec/${path}`, value }]);

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("ctl-agent");
  await kube.create(CONFIGMAPS, registry({ "python-3.12": IMAGE }));
  await kube.create(NODECONFIGS, orchestrator([ALIAS]));
  running = await startControllers([instrument(agentController({ registry: registryRef(), workers: 8 }), counters)]);
});

afterAll(async () => {
  await running?.stop();
  await kube?.delete(NODECONFIGS, undefined, ORCHESTRATOR);
  // A NodeConfig controller running beside this file may have put its finalizer on it.
  await kube?.jsonPatch(NODECONFIGS, undefined, ORCHESTRATOR, [{ op: "remove", path: "/metadata/finalizers" }]).catch(() => undefined);
  if (namespace) await deleteNamespace(namespace);
});

describe("Agent controller", () => {
  it("resolves language+version and the model alias: Accepted, Ready, image, model, provider", async () => {
    await kube.create(AGENTS, agent("resolved"));
    const a = await waitForReady("resolved", "True", Reason.Resolved);
    expect(condition(a, "Accepted")).toMatchObject({ status: "True", reason: Reason.SpecValid });
    expect(a.status).toMatchObject({ image: IMAGE, model: `llama-${ALIAS}`, provider: "local" });
  });

  it.each([
    { reason: Reason.UnknownLanguageVersion, edit: (m: Agent) => { m.spec.runtime = { language: "python", version: "2.7", model: ALIAS }; } },
    { reason: Reason.ModelAliasUnknown, edit: (m: Agent) => { (m.spec.runtime as Record<string, unknown>).model = `unknown-${suffix}`; } },
    { reason: Reason.VolumeMissing, edit: (m: Agent) => { m.spec.volumes = [{ name: "w", mountPath: "/workspace", volumeRef: "missing" }]; } },
    { reason: Reason.ToolServerUnknown, edit: (m: Agent) => { m.spec.tools = ["fs.read", `mcp:nosuch-${suffix}`]; } },
    { reason: Reason.PlacementTagUnknown, edit: (m: Agent) => { m.spec.placement = { tags: [`nosuch-${suffix}`] }; } },
  ])("is not Ready with reason $reason", async ({ reason, edit }) => {
    const name = `bad-${reason.toLowerCase()}`;
    await kube.create(AGENTS, agent(name, edit as never));
    const a = await waitForReady(name, "False", reason);
    expect(condition(a, "Accepted")?.status).toBe("True");
  });

  it("an explicit image is used as is, with no registry entry", async () => {
    await kube.create(AGENTS, agent("custom-image", (m) => { m.spec.runtime = { image: "ghcr.io/acme/agent:1", model: ALIAS } as never; }));
    expect((await waitForReady("custom-image", "True", Reason.Resolved)).status?.image).toBe("ghcr.io/acme/agent:1");
  });

  it("a fixed spec becomes Ready again without a restart", async () => {
    await kube.create(AGENTS, agent("fix-spec", (m) => { m.spec.runtime = { language: "python", version: "3.9", model: ALIAS } as never; }));
    await waitForReady("fix-spec", "False", Reason.UnknownLanguageVersion);
    await setSpec("fix-spec", "runtime/version", "3.12");
    await waitForReady("fix-spec", "True", Reason.Resolved);
    // One Event per transition, with the condition's reason: a Warning, then Normal when Ready.
    await eventually(async () => {
      const { items } = await kube.list<KubeObject & { regarding?: { name?: string }; type?: string; reason?: string }>(EVENTS, { namespace });
      const about = items.filter((e) => e.regarding?.name === "fix-spec").sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
      expect(about.map((e) => [e.type, e.reason])).toEqual([["Warning", Reason.UnknownLanguageVersion], ["Normal", Reason.Resolved]]);
    }, { message: "events of fix-spec" });
  });

  it("fixed references (registry entry, model alias, Volume, registry itself) make it Ready again", async () => {
    await kube.create(AGENTS, agent("fix-refs", (m) => {
      m.spec.runtime = { language: "python", version: "3.11", model: `late-${suffix}` } as never;
      m.spec.volumes = [{ name: "w", mountPath: "/workspace", volumeRef: "late" }] as never;
    }));
    await waitForReady("fix-refs", "False", Reason.UnknownLanguageVersion);
    await kube.apply(CONFIGMAPS, registry({ "python-3.12": IMAGE, "python-3.11": "ghcr.io/aegis-dev/runtime-python:3.11" }), { fieldManager: "test", force: true });
    await waitForReady("fix-refs", "False", Reason.ModelAliasUnknown);
    await kube.apply(NODECONFIGS, orchestrator([ALIAS, `late-${suffix}`]), { fieldManager: "test", force: true });
    await waitForReady("fix-refs", "False", Reason.VolumeMissing);
    await kube.create(VOLUMES, { ...validVolume(), metadata: { name: "late", namespace } });
    await waitForReady("fix-refs", "True", Reason.Resolved);

    await kube.delete(CONFIGMAPS, namespace, registryRef().name);
    await waitForReady("fix-refs", "False", Reason.RegistryMissing);
    await kube.create(CONFIGMAPS, registry({ "python-3.12": IMAGE, "python-3.11": "ghcr.io/aegis-dev/runtime-python:3.11" }));
    await waitForReady("fix-refs", "True", Reason.Resolved);
  });

  it("reconciling again yields the same state and writes nothing", async () => {
    await kube.create(AGENTS, agent("steady"));
    await waitForReady("steady", "True", Reason.Resolved);
    const key = `${namespace}/steady`;
    // Converged: no reconcile in flight; take that state.
    await eventually(() => assertIdle(counters, key), { message: "no reconcile in flight" });
    const before = await get("steady");
    const completed = count(counters.completed, key);
    const reconciles = count(counters.reconciles, key);
    const writes = count(counters.statusWrites, key);
    // A change to the registry re-reconciles every Agent: an extra reconcile of a converged one.
    await kube.apply(CONFIGMAPS, { ...registry({}), metadata: { ...registryRef(), annotations: { touched: "1" } } }, { fieldManager: "toucher" });
    await eventually(() => expect(count(counters.reconciles, key)).toBeGreaterThan(reconciles), { message: "an extra reconcile" });
    await eventually(() => assertIdle(counters, key, completed + 1), { message: "the extra reconcile finished" });
    const after = await get("steady");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.status).toEqual(before.status);
    expect(count(counters.statusWrites, key)).toBe(writes);
  });

  it("converges through a conflict storm: label writers, spec flips and a competing status writer", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `storm-${i}`);
    await Promise.all(names.map((n) => kube.create(AGENTS, agent(n))));
    await Promise.all(names.map((n) => waitForReady(n, "True", Reason.Resolved)));
    const reviewed = (n: string, round: number) => kube.applyStatus(AGENTS, {
      apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: n, namespace },
      status: { conditions: [{ type: "Reviewed", status: "True", reason: "Looked", message: `round ${round}`, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") }] },
    }, { fieldManager: "aegis-reviewer", force: true });
    const deadline = Date.now() + 5000;
    for (let round = 0; Date.now() < deadline; round++) {
      await Promise.all(names.map(async (n) => {
        await kube.jsonPatch(AGENTS, namespace, n, [{ op: "add", path: "/metadata/labels", value: { storm: String(round) } }]);
        await setSpec(n, "runtime/version", round % 2 === 0 ? "2.7" : "3.12");
        await reviewed(n, round);
      }));
    }
    await Promise.all(names.map((n) => setSpec(n, "runtime/version", "3.12")));
    for (const n of names) {
      const a = await waitForReady(n, "True", Reason.Resolved);
      expect(condition(a, "Reviewed")?.reason).toBe("Looked"); // the other writer's condition survives ours
    }
    const unexpected = counters.errors.filter((e) => !(isKubeApiError(e) && e.reason === "Conflict"));
    expect(unexpected).toEqual([]);
  }, 120_000);

  it("1,000 Agents all become Ready", async () => {
    const ns = await createNamespace("ctl-agent-1k");
    try {
      const names = Array.from({ length: 1000 }, (_, i) => `a-${i}`);
      const started = performance.now();
      for (let i = 0; i < names.length; i += 50) {
        await Promise.all(names.slice(i, i + 50).map((n) => kube.create(AGENTS, agent(n, () => {}, ns))));
      }
      const created = performance.now();
      await eventually(async () => {
        const { items } = await kube.list<Agent>(AGENTS, { namespace: ns });
        const ready = items.filter((a) => condition(a, "Ready")?.status === "True" && a.status?.observedGeneration === a.metadata.generation);
        expect(ready.length).toBe(1000);
      }, { timeoutMs: 240_000, intervalMs: 500, message: "1,000 Agents Ready" });
      const done = performance.now();
      console.log(`1,000 Agents: created in ${((created - started) / 1000).toFixed(1)} s, all Ready ${((done - started) / 1000).toFixed(1)} s after the first create`);
    } finally {
      await deleteNamespace(ns);
    }
  }, 300_000);

  it("garbage specs the API server accepts get conditions; the process keeps reconciling", async () => {
    // Mostly shapes the schema allows (so the controller sees them), some it rejects.
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const mostly = <T, U>(valid: fc.Arbitrary<T>, junk: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: junk, weight: 1 });
    const runtime = fc.oneof(
      fc.record({ image: mostly(word.map((w) => `ghcr.io/${w}`), fc.string()), model: fc.oneof(fc.constant(ALIAS), word) }),
      fc.record({ language: fc.constantFrom("python", "go", "bash", "cobol"), version: fc.oneof(fc.constant("3.12"), fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$/)) }, { requiredKeys: [] }),
    );
    const volume = fc.oneof(
      fc.record({ name: word, mountPath: fc.constantFrom("/workspace/a", "/workspace/b"), volumeRef: word }),
      fc.record({ name: word, mountPath: fc.constantFrom("/workspace/c", "/tmp"), size: fc.constantFrom("1Gi", "x"), storageClass: fc.constantFrom("Ephemeral", "Persistent") }),
    );
    const spec = fc.record({
      runtime,
      task: fc.record({ instruction: mostly(fc.string({ minLength: 1 }), fc.constant("")) }),
      tools: fc.uniqueArray(mostly(fc.oneof(word, word.map((w) => `mcp:${w}`)), fc.string()), { maxLength: 4 }),
      volumes: fc.uniqueArray(volume, { maxLength: 2, selector: (v) => v.name }),
      placement: fc.record({ tags: fc.uniqueArray(word, { maxLength: 2 }) }),
      extra: fc.jsonValue(),
    }, { requiredKeys: ["runtime", "task"] });
    let accepted = 0;
    let i = 0;
    await fc.assert(fc.asyncProperty(spec, async (s) => {
      const name = `garbage-${i++}`;
      try {
        await kube.create(AGENTS, { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace }, spec: s });
      } catch (err) {
        if (isKubeApiError(err) && (err.reason === "Invalid" || err.reason === "BadRequest")) return; // the schema said no: fine
        throw err;
      }
      accepted++;
      await eventually(async () => {
        const a = await get(name);
        expect(a.status?.observedGeneration).toBe(a.metadata.generation);
        expect(a.status?.conditions?.map((c) => c.type).sort()).toEqual(["Accepted", "Ready"]);
      }, { message: `agent ${name} has Accepted and Ready` });
    }), { numRuns: 60 });
    console.log(`garbage specs: ${accepted} of 60 accepted by the API server, each got Accepted and Ready`);
    await kube.create(AGENTS, agent("after-garbage"));
    await waitForReady("after-garbage", "True", Reason.Resolved);
    expect(counters.errors.filter((e) => !isKubeApiError(e))).toEqual([]);
  }, 180_000);
});
