// Cedar at admission through the real API server, with the operator's own wiring: policies from
// labelled ConfigMaps (createConfigMapPolicies), lookups from informer caches (cacheLookup), the
// webhook server in this process on a free port. Configurations are url-registered and scoped by
// namespace and object labels to this file's namespace, so parallel test files never reach them.
// - a policy ConfigMap Cedar refuses is denied with Cedar's message naming the data key; a
//   ConfigMap without the policy label is never sent to the webhook (admitted while it is down);
// - the image an Agent's language+version resolves to (registry ConfigMap, cached) is checked;
// - spawned Executions and Swarms are held to the spawn policies.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isKubeApiError } from "../../src/kube/errors.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, CONFIGMAPS, EXECUTIONS, NAMESPACES, SWARMS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject, Resource } from "../../src/kube/types.ts";
import { createConfigMapPolicies, POLICY_LABEL, type NamespacePolicies } from "../../src/policy/configmaps.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { VALIDATING_WEBHOOKS } from "../../webhooks/configurations.ts";
import { renderWebhookConfigurations, startWebhooks, type Webhooks } from "../../webhooks/index.ts";
import { cacheLookup } from "../../webhooks/lookup.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig, kubectl } from "../helpers/cluster.ts";

const OPERATOR_NS = "aegis-system";
const suffix = randomBytes(3).toString("hex");
const SCOPE = { "test.aegis.dev/admission-policy": suffix };
const NAMES = { validating: `aegis-validating-policy-test-${suffix}`, mutating: `aegis-mutating-policy-test-${suffix}` };
const REGISTRY = "runtime-registry";
const TYPO = '@id("typo")\npermit (principal, action == Action::"tool:invoke", resource) when { context.pathh == "x" };';
const CEDAR_TYPO = /attribute `pathh` in context for Action::"tool:invoke" not found/;
// The namespace's own admission policies, on top of the shipped defaults in aegis-system.
const TEAM_POLICIES = [
  '@id("no-someone")',
  'forbid (principal, action == Action::"agent:useImage", resource) when { resource.repository like "someone/*" };',
  '@id("shallow-swarms")',
  'forbid (principal is Swarm, action == Action::"agent:spawn", resource) when { context.maxDepth > 2 };',
].join("\n");

let kube: KubeClient;
let namespace: string;
let policies: NamespacePolicies;
let webhooks: Webhooks | undefined;
const stop = new AbortController();

const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace, labels: { ...SCOPE, ...labels } });

const policyConfigMap = (name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(name, { [POLICY_LABEL]: "true" }), data }) as KubeObject;

const agent = (name: string, runtime: Record<string, unknown>): KubeObject => ({
  apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: meta(name),
  spec: { runtime, task: { instruction: "Say hello." } },
}) as KubeObject;

const execution = (name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: meta(name), spec }) as KubeObject;

const swarm = (name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: "aegis.dev/v1alpha1", kind: "Swarm", metadata: meta(name), spec }) as KubeObject;

/** The message of the refusal, or throws when the object was admitted. */
async function refusal(res: Resource, object: KubeObject, dryRun = true): Promise<string> {
  const err = await kube.create(res, object, { dryRun }).then(() => undefined, (e: unknown) => e);
  if (!isKubeApiError(err)) throw new Error(`admitted ${object.metadata.name}`);
  return err.message;
}

const admitted = (res: Resource, object: KubeObject, dryRun = false) => kube.create(res, object, { dryRun });

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("adm-policy");
  await kube.jsonPatch(NAMESPACES, undefined, namespace, [{ op: "add", path: "/metadata/labels/test.aegis.dev~1admission-policy", value: suffix }]);
  // The operator's wiring (src/operator-webhooks.ts), with this namespace's registry.
  const informers = createInformerFactory(kube);
  const configMaps = informers.informer(CONFIGMAPS);
  policies = createConfigMapPolicies({ configMaps, operatorNamespace: OPERATOR_NS });
  const lookup = cacheLookup({ configMaps, executions: informers.informer(EXECUTIONS), swarms: informers.informer(SWARMS), registry: { namespace, name: REGISTRY } });
  await informers.start(stop.signal);
  webhooks = await startWebhooks({
    client: kube, namespace, host: "127.0.0.1", port: 0, hosts: ["127.0.0.1"], configurations: NAMES, policies, lookup,
    policyConfigMaps: { configMaps: () => configMaps.list(), operatorNamespace: OPERATOR_NS },
  });
  const [validating] = renderWebhookConfigurations({
    target: { url: `https://127.0.0.1:${webhooks.port}` }, names: NAMES, namespaceSelector: { matchLabels: SCOPE }, objectSelector: { matchLabels: SCOPE },
  });
  await kube.apply(VALIDATING_WEBHOOKS, validating as unknown as KubeObject, { fieldManager: "admission-policy-test", force: true });
  await webhooks.refresh();
  // The API server picks configurations up asynchronously: wait until ours answers.
  await eventually(async () => expect(await refusal(CONFIGMAPS, policyConfigMap("probe", { "tools.cedar": TYPO }))).toMatch(CEDAR_TYPO),
    { message: "the policy ConfigMap webhook answers" });
}, 60_000);

afterAll(async () => {
  await webhooks?.stop();
  stop.abort();
  policies?.stop();
  await kube?.delete(VALIDATING_WEBHOOKS, undefined, NAMES.validating);
  if (namespace) await deleteNamespace(namespace);
});

describe("Cedar at admission", () => {
  it("denies a policy ConfigMap Cedar refuses, with its message naming the data key; admits a valid one", { timeout: 60_000 }, async () => {
    const bad = policyConfigMap("team-policies", { "README": "not policy", "tools.cedar": TYPO });
    const applied = await kubectl(["apply", "-f", "-"], { input: stringify(bad) });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("data[tools.cedar]: tools.cedar:2:");
    expect(applied.stderr).toMatch(CEDAR_TYPO);
    expect((await kubectl(["get", "configmap", "team-policies"], { namespace })).code).not.toBe(0);

    // Ids colliding in the set are Cedar-loader errors too.
    const twice = '@id("same")\nforbid (principal, action == Action::"agent:spawn", resource);\n';
    expect(await refusal(CONFIGMAPS, policyConfigMap("twice", { "a.cedar": twice + twice }))).toContain("data[a.cedar]: a.cedar: policy a.cedar:same: duplicate policy id");

    await admitted(CONFIGMAPS, policyConfigMap("team-policies", { "admission.cedar": TEAM_POLICIES }));
    // An edit breaking the stored set is denied as well; the stored set stays.
    const stored = await kube.get<KubeObject>(CONFIGMAPS, namespace, "team-policies");
    const err = await kube.update(CONFIGMAPS, { ...stored, data: { "admission.cedar": TEAM_POLICIES.replace("maxDepth", "maxDepht") } }).then(() => undefined, (e: unknown) => e);
    expect(isKubeApiError(err) && err.causes.map((c) => c.field)).toEqual(["data[admission.cedar]"]);
    expect((await kube.get<KubeObject>(CONFIGMAPS, namespace, "team-policies")).data).toEqual({ "admission.cedar": TEAM_POLICIES });
  });

  it("checks the image an Agent's language+version resolves to, as the registry says now", { timeout: 60_000 }, async () => {
    await admitted(CONFIGMAPS, {
      apiVersion: "v1", kind: "ConfigMap", metadata: meta(REGISTRY),
      data: { "python-3.12": "ghcr.io/acme/agent-python:3.12", "python-3.11": "docker.io/someone/python:3.11" },
    } as KubeObject);
    const denied = `denied the request: spec.runtime.language: denied by policy ${namespace}/team-policies/admission.cedar:no-someone (python 3.11 runs image docker.io/someone/python:3.11)`;
    await eventually(async () => expect(await refusal(AGENTS, agent("old-python", { language: "python", version: "3.11" }))).toContain(denied),
      { message: "the Agent on python 3.11 denied" });
    await admitted(AGENTS, agent("new-python", { language: "python", version: "3.12" }));
    // The registry is re-read from the cache: a changed entry changes the decision, no restart.
    await kube.jsonPatch(CONFIGMAPS, namespace, REGISTRY, [{ op: "replace", path: "/data/python-3.12", value: "docker.io/someone/python:3.12" }]);
    await eventually(async () => expect(await refusal(AGENTS, agent("newer-python", { language: "python", version: "3.12" }))).toContain("(python 3.12 runs image docker.io/someone/python:3.12)"));
  });

  it("holds spawned Executions to the spawn limits, naming spec.parentRef and the policy", { timeout: 60_000 }, async () => {
    await admitted(EXECUTIONS, execution("lead", { agentRef: { name: "coder" } }));
    await admitted(EXECUTIONS, execution("deep", { agentRef: { name: "coder" } }));
    await kube.applyStatus(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "deep", namespace }, status: { depth: 3 } } as KubeObject,
      { fieldManager: "admission-policy-test", force: true });

    // The parent must be in the webhook's cache first: until then the child is refused as an orphan.
    await eventually(() => admitted(EXECUTIONS, execution("lead-child", { agentRef: { name: "reviewer" }, parentRef: "lead" }), true), { message: "a child of lead admitted" });
    await eventually(async () => expect(await refusal(EXECUTIONS, execution("too-deep", { agentRef: { name: "reviewer" }, parentRef: "deep" }))).toContain(
      "denied the request: spec.parentRef: denied by policy aegis-system/aegis-default-policies/admission.cedar:spawn-within-limits (child of deep (Agent coder) running Agent reviewer at depth 4 of at most 3)",
    ), { message: "a child at depth 4 denied" });
    expect(await refusal(EXECUTIONS, execution("orphan", { agentRef: { name: "reviewer" }, parentRef: "nobody" }))).toContain(
      `spec.parentRef: parent Execution nobody not found in namespace ${namespace}`,
    );
  });

  it("holds Swarms and their children to the swarm's limits and the namespace's policies", { timeout: 60_000 }, async () => {
    const limits = { maxMembers: 2, maxConcurrent: 1, maxDepth: 2, allowedAgents: ["reviewer"] };
    // The namespace forbids swarms deeper than 2 (shallow-swarms), naming each field it denies.
    const wide = await refusal(SWARMS, swarm("wide", { parentRef: { name: "lead" }, members: [{ name: "a", agentRef: "reviewer" }], limits: { ...limits, maxDepth: 3 } }));
    expect(wide).toContain(`spec.members[0].agentRef: denied by policy ${namespace}/team-policies/admission.cedar:shallow-swarms`);
    expect(wide).toContain(`spec.limits.allowedAgents[0]: denied by policy ${namespace}/team-policies/admission.cedar:shallow-swarms`);
    await admitted(SWARMS, swarm("crew", { parentRef: { name: "lead" }, limits }));

    const member = (name: string, agentName: string) => execution(name, { agentRef: { name: agentName }, parentRef: "lead", swarmRef: "crew" });
    await eventually(async () => expect(await refusal(EXECUTIONS, member("mailer", "mailer"))).toContain(
      "spawn-within-limits (child of lead (Agent coder) running Agent mailer at depth 1 of at most 2, member 1 of at most 2 of swarm crew, whose limits.allowedAgents leave out mailer)",
    ), { message: "an Agent outside limits.allowedAgents denied" });
    await admitted(EXECUTIONS, member("m1", "reviewer"));
    await admitted(EXECUTIONS, member("m2", "reviewer"));
    // Once the cache holds both members, a third is one too many.
    await eventually(async () => expect(await refusal(EXECUTIONS, member("m3", "reviewer"))).toContain("member 3 of at most 2 of swarm crew"),
      { message: "a third member denied" });
  });

  it("never sees a ConfigMap without the policy label: with the server down only policy ConfigMaps fail", { timeout: 60_000 }, async () => {
    await webhooks!.stop();
    webhooks = undefined;
    // Same namespace, same scope labels: only the policy label differs.
    await expect(admitted(CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: meta("plain"), data: { "tools.cedar": TYPO } } as KubeObject)).resolves.toBeDefined();
    const applied = await kubectl(["apply", "-f", "-"], { input: stringify(policyConfigMap("while-down", { "tools.cedar": 'forbid (principal, action, resource);' })) });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('failed calling webhook "policies.validate.aegis.dev"');
  });
});
