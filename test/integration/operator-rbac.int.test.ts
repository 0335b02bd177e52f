// The operator under exactly the RBAC manifests/base ships: its ServiceAccount's token (TokenRequest)
// is the only credential the operator process has. With leader election and its admission webhooks
// on, it does real work of every controller (NodeConfig labels the node, an Agent becomes Ready
// through the webhooks, an Execution runs its pod to Succeeded, a cancelled one has its pod
// deleted, the Lease is released at shutdown) and no request is refused. The same RBAC without
// `create` on pods, given to another ServiceAccount, is refused: the check can fail.
import { KubeConfig } from "@kubernetes/client-node";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EVENTS, EXECUTIONS, LEASES, NODECONFIGS, NODES, PODS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject, Resource } from "../../src/kube/types.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/server.ts";
import { DEFAULT_CONFIGURATION_NAMES, MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS, renderWebhookConfigurations } from "../../webhooks/configurations.ts";
import { runKubectl } from "../../src/local/kubectl.ts";
import { core, createNamespace, deleteNamespace, eventually, hasLocalNode, kubeConfig, kubectl, kubectlBinary } from "../helpers/cluster.ts";
import { waitForPhase } from "../helpers/executions.ts";
import { installScriptedProvider, launchOperator, loopNames, removeLoopEnvironment, stopOperator } from "../helpers/loop-environment.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";
import {
  OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, applyRbac, bindingsOf, deleteRbac, renderShippedRbac, serviceAccountKubeconfig, withoutVerbs, type RbacObject,
} from "../helpers/service-account-kubeconfig.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const NAMES = loopNames("rbac");
const SUFFIX = randomBytes(3).toString("hex");
const LEASE = `aegis-rbac-${SUFFIX}`;
const CRIPPLED = `aegis-operator-no-pod-create-${SUFFIX}`;
const WEBHOOK_SCOPE = { "test.aegis.dev/rbac": SUFFIX };
const CONFIGURATIONS: [Resource, string][] = [[VALIDATING_WEBHOOKS, DEFAULT_CONFIGURATION_NAMES.validating], [MUTATING_WEBHOOKS, DEFAULT_CONFIGURATION_NAMES.mutating]];
const SELF_SUBJECT_REVIEWS: Resource = { group: "authentication.k8s.io", version: "v1", plural: "selfsubjectreviews", kind: "SelfSubjectReview", namespaced: false };
const SCRIPT = {
  models: {
    [NAMES.model]: [
      { match: { contains: "RBACTASK" }, toolCalls: [{ name: "fs.write", arguments: { path: "rbac.txt", content: "written under the shipped RBAC\n" } }] },
      { match: { regex: "\"bytes\"" }, text: "DONE under the shipped RBAC" },
      { match: { contains: "RBACHANG" }, delayMs: 120_000, text: "never seen" },
    ],
  },
};

let kube: KubeClient;
let shipped: RbacObject[];
let crippled: RbacObject[] = [];
let namespace: string;
let model: ScriptedModelServer;
let db: TestDatabase;
const operators: OperatorProcess[] = [];
/** The operator under the shipped RBAC (the second and third tests). */
let operator: OperatorProcess;
const start = operatorProcesses();
const tempDir = tempDirs();

type Conditioned = KubeObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } };

async function createReadyAgent(ns: string, name: string, prompt = "RBACTASK: write the file."): Promise<void> {
  await kube.create(AGENTS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace: ns, labels: WEBHOOK_SCOPE },
    spec: {
      runtime: { language: "python", version: "3.12", model: NAMES.alias },
      task: { instruction: "You are a test agent.", promptTemplate: prompt },
      execution: { mode: "OneShot", iterationTimeout: "2m", validation: [{ type: "Regex", target: "Output", pattern: "DONE" }] },
      tools: ["fs.*"],
      placement: { tags: [NAMES.tag] },
    },
  });
  await eventually(async () => {
    const ready = (await kube.get<Conditioned>(AGENTS, ns, name)).status?.conditions?.find((c) => c.type === "Ready");
    expect(ready?.status, ready?.message).toBe("True");
  }, { timeoutMs: 30_000, message: `Agent ${ns}/${name} Ready` });
}

const createExecution = (ns: string, name: string, agent: string) =>
  kube.create(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace: ns }, spec: { agentRef: { name: agent } } });

/** Every log line or stderr line of the operator that tells of a refused request. */
const refusals = (op: OperatorProcess): string[] =>
  [...op.lines.map((l) => JSON.stringify(l)), ...op.other().split("\n")].filter((text) => /forbidden|"code":403\b/i.test(text));

/** The operator as the ServiceAccount `serviceAccount`, only on `ns`; its gateway's port. */
async function launchAs(serviceAccount: string, identity: string, ns: string, args: readonly string[]): Promise<{ op: OperatorProcess; gatewayPort: number }> {
  const kubeconfig = await serviceAccountKubeconfig(await tempDir("aegis-rbac"), serviceAccount);
  const gatewayPort = await freePort();
  const started = (id: string, argv: readonly string[]) => {
    const op = start(id, argv);
    operators.push(op);
    return op;
  };
  const op = await launchOperator(started, identity, { gatewayPort, databaseUrl: db.url, namespace: ns, args: ["--kubeconfig", kubeconfig, ...args] })
    .catch((err: unknown) => {
      const op = operators.at(-1)!;
      throw new Error(`${String(err)}\nrefused: ${refusals(op).join("\n")}\nlast lines: ${op.lines.slice(-5).map((l) => JSON.stringify(l)).join("\n")}`);
    });
  return { op, gatewayPort };
}

/**
 * Our two webhook configurations (their default names, which the operator injects), pointing at
 * `url`, for the aegis.dev kinds and only objects labelled for this file: NodeConfigs, cluster-
 * scoped, would match any namespace selector, and other files' objects must never wait on this operator.
 */
async function installWebhookConfigurations(url: string): Promise<void> {
  const [validating, mutating] = renderWebhookConfigurations({ target: { url }, objectSelector: { matchLabels: WEBHOOK_SCOPE } });
  for (const [resource, configuration] of [[VALIDATING_WEBHOOKS, validating], [MUTATING_WEBHOOKS, mutating]] as const) {
    const webhooks = configuration.webhooks.filter((w) => w.rules.every((r) => r.apiGroups.includes("aegis.dev")));
    await kube.apply(resource, { ...configuration, webhooks } as unknown as KubeObject, { fieldManager: "aegis-install", force: true });
  }
}

const removeWebhookConfigurations = async (): Promise<void> => {
  for (const [resource, name] of CONFIGURATIONS) await kube?.delete(resource, undefined, name).catch(() => {});
};

const decoded = (value: unknown): string => Buffer.from(String(value ?? ""), "base64").toString();

describe.skipIf(!hasLocalNode())("the operator under exactly the shipped RBAC", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    shipped = await renderShippedRbac();
    await applyRbac(shipped);
    namespace = await createNamespace("rbac");
    db = await createTestDatabase();
    model = await startScriptedModelServer({ script: SCRIPT, apiKey: NAMES.key });
    await installScriptedProvider(kube, namespace, NAMES, model.url);
  });

  afterAll(async () => {
    for (const op of operators) await stopOperator(op);
    await removeWebhookConfigurations();
    await kube?.delete(LEASES, OPERATOR_NAMESPACE, LEASE).catch(() => {});
    await deleteRbac(crippled);
    await removeLoopEnvironment({ kube, names: NAMES, namespace, model, db });
  });

  it("the kubeconfig authenticates as the ServiceAccount, which only the shipped bindings grant anything, exactly as rendered", async () => {
    const path = await serviceAccountKubeconfig(await tempDir("aegis-rbac"));
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const review = await createKubeClient(kc).create<KubeObject & { status?: { userInfo?: { username?: string } } }>(SELF_SUBJECT_REVIEWS, {
      apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: {},
    });
    expect(review.status?.userInfo?.username).toBe(`system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`);
    const listed = await kubectl(["get", "clusterrolebindings,rolebindings", "-A", "-o", "json"]);
    const onServer = bindingsOf((JSON.parse(listed.stdout) as { items: RbacObject[] }).items, OPERATOR_SERVICE_ACCOUNT)
      .filter((b) => (b.subjects ?? []).some((s) => s.namespace === OPERATOR_NAMESPACE));
    expect(onServer.map((b) => `${b.kind}/${b.metadata.name}`).sort()).toEqual(bindingsOf(shipped, OPERATOR_SERVICE_ACCOUNT).map((b) => `${b.kind}/${b.metadata.name}`).sort());
    // What the operator does only now and then (rotations) is granted; a few things it never does are not.
    const canI = async (...args: string[]) => (await runKubectl(kubectlBinary(), path, ["auth", "can-i", ...args])).stdout.trim();
    expect(await canI("update", "secret/aegis-seal-signing-key", "-n", OPERATOR_NAMESPACE)).toBe("yes");
    expect(await canI("update", "secret/aegis-webhooks-tls", "-n", OPERATOR_NAMESPACE)).toBe("yes");
    expect(await canI("update", "secret/aegis-postgres", "-n", OPERATOR_NAMESPACE)).toBe("no");
    expect(await canI("delete", "secrets", "-n", namespace)).toBe("no");
    // Secrets are read by name only: nothing lists or watches them (the NodeConfig controller gets its providers' Secrets).
    expect(await canI("get", "secret/llm-keys", "-n", namespace)).toBe("yes");
    expect(await canI("list", "secrets", "-n", namespace)).toBe("no");
    expect(await canI("watch", "secrets", "--all-namespaces")).toBe("no");
    expect(await canI("update", "agents.aegis.dev", "-n", namespace)).toBe("no");
    expect(await canI("create", "deployments.apps", "-n", namespace)).toBe("no");
    // The leader labels its own Pod for the gateway Service: in the operator's namespace only.
    expect(await canI("patch", "pods", "-n", OPERATOR_NAMESPACE)).toBe("yes");
    expect(await canI("patch", "pods", "-n", namespace)).toBe("no");
    for (const role of shipped.filter((o) => o.rules !== undefined)) {
      const got = await kubectl(["get", role.kind.toLowerCase(), role.metadata.name, ...(role.metadata.namespace ? ["-n", role.metadata.namespace] : []), "-o", "json"]);
      expect((JSON.parse(got.stdout) as RbacObject).rules, `${role.kind}/${role.metadata.name}`).toEqual(role.rules);
    }
  });

  it("leads, serves its webhooks and runs every controller's work to Succeeded without one refused request", { timeout: 180_000 }, async () => {
    const webhookPort = await freePort();
    await installWebhookConfigurations(`https://127.0.0.1:${webhookPort}`);
    const { op, gatewayPort } = (await launchAs(OPERATOR_SERVICE_ACCOUNT, `rbac-operator-${SUFFIX}`, namespace, [
      "--leader-elect=true", "--lease-name", LEASE, "--webhook-addr", `127.0.0.1:${webhookPort}`,
    ]));
    operator = op;
    await op.waitFor("Became leader, starting controllers");
    const lease = await kube.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, OPERATOR_NAMESPACE, LEASE);
    expect(lease.spec?.holderIdentity).toBe(op.identity);

    // The webhook certificates: a Secret of the operator's namespace, its bundle injected into both configurations.
    const tls = await kube.get<KubeObject & { data?: Record<string, string> }>(SECRETS, OPERATOR_NAMESPACE, "aegis-webhooks-tls");
    for (const [resource, name] of CONFIGURATIONS) {
      const configuration = await kube.get<KubeObject & { webhooks: { clientConfig: { caBundle?: string } }[] }>(resource, undefined, name);
      expect(new Set(configuration.webhooks.map((w) => decoded(w.clientConfig.caBundle)))).toEqual(new Set([decoded(tls.data?.["ca-bundle.crt"])]));
    }
    // NodeConfig: the local node carries the tag, and the provider's key Secret was read (a get) and has the key.
    await eventually(async () => expect((await kube.get(NODES, undefined, "aegis-local")).metadata.labels?.[`tag.aegis.dev/${NAMES.tag}`]).toBe("true"),
      { message: "the node labelled with the NodeConfig's tag" });
    await eventually(async () => {
      const ready = (await kube.get<Conditioned>(NODECONFIGS, undefined, NAMES.tag)).status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status, ready?.message).toBe("True");
    }, { message: "the NodeConfig Ready" });
    // Admission through the webhooks the API server calls: a bad Agent is denied, a good one admitted and Ready.
    const bad = await kubectl(["create", "--dry-run=server", "-n", namespace, "-f", "-"], { input: JSON.stringify({
      apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "bad", labels: WEBHOOK_SCOPE },
      spec: { runtime: { image: "example.com/img:1" }, task: { instruction: "x" }, execution: { validation: [{ type: "Regex", pattern: "(" }] } },
    }) });
    expect(bad.stderr).toContain("not a valid RE2 pattern");
    await createReadyAgent(namespace, "rbac-agent");

    await createExecution(namespace, "rbac-run", "rbac-agent");
    const done = await waitForPhase(kube, namespace, "rbac-run", "Succeeded");
    expect(done.status).toMatchObject({ outputPreview: "DONE under the shipped RBAC", iterationDisplay: "1/1" });
    const token = await kube.get<KubeObject>(SECRETS, namespace, "rbac-run-token");
    expect(token.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Execution", name: "rbac-run", uid: done.metadata.uid });
    await eventually(async () => {
      const events = (await kube.list<KubeObject & { reason?: string; regarding?: { uid?: string } }>(EVENTS, { namespace })).items;
      expect(events.filter((e) => e.regarding?.uid === done.metadata.uid).map((e) => e.reason)).toEqual(expect.arrayContaining(["Running", "ValidatorsPassed"]));
    }, { message: "the run's Events" });
    // The transcript: the gateway checks a reader with TokenReview and SubjectAccessReview.
    const reader = (await core().createNamespacedServiceAccountToken({ name: OPERATOR_SERVICE_ACCOUNT, namespace: OPERATOR_NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 600 } } })).status?.token;
    const transcript = await fetch(`http://127.0.0.1:${gatewayPort}/v1/executions/${namespace}/rbac-run/transcript`, { headers: { authorization: `Bearer ${reader}` } });
    expect(transcript.status).toBe(200);
    expect(await transcript.text()).toContain("ExecutionFinished");

    expect(refusals(op)).toEqual([]);
  });

  it("cancelling a running Execution deletes its pod; stopping releases the Lease; nothing refused", { timeout: 120_000 }, async () => {
    await createReadyAgent(namespace, "rbac-hang", "RBACHANG: wait for the model.");
    await createExecution(namespace, "hang-run", "rbac-hang");
    await eventually(() => expect(model.requests({ model: NAMES.model }).some((r) => JSON.stringify(r.body).includes("RBACHANG"))).toBe(true),
      { timeoutMs: 60_000, message: "the agent runtime is talking to the model" });
    await kube.apply(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "hang-run", namespace }, spec: { agentRef: { name: "rbac-hang" }, cancel: true } },
      { fieldManager: "test-user", force: true });
    await waitForPhase(kube, namespace, "hang-run", "Cancelled", 30_000);
    await eventually(async () => expect((await kube.list(PODS, { namespace, labelSelector: "aegis.dev/execution=hang-run" })).items).toEqual([]),
      { timeoutMs: 30_000, message: "the cancelled run's pod deleted" });

    await stopOperator(operator);
    await removeWebhookConfigurations();
    expect((await kube.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, OPERATOR_NAMESPACE, LEASE)).spec?.holderIdentity).toBe("");
    expect(refusals(operator)).toEqual([]);
  });

  it("without `create` on pods (another ServiceAccount, the rest as shipped) the pod is refused and the operator says so", { timeout: 120_000 }, async () => {
    crippled = withoutVerbs(shipped, CRIPPLED, { resource: "pods", verbs: ["create"] });
    await applyRbac(crippled);
    const other = await createNamespace("rbac-refused");
    try {
      const { op } = await launchAs(CRIPPLED, `rbac-refused-${SUFFIX}`, other, []);
      await createReadyAgent(other, "rbac-agent");
      await createExecution(other, "refused-run", "rbac-agent");
      const refused = await eventually(() => {
        const line = op.lines.find((l) => l.msg === "Reconciler error" && /pods .*is forbidden/.test(JSON.stringify(l.err)));
        if (!line) throw new Error("no refused pod creation logged yet");
        return JSON.stringify(line.err);
      }, { timeoutMs: 60_000, message: "the operator logs the refused pod" });
      expect(refused).toContain(`system:serviceaccount:${OPERATOR_NAMESPACE}:${CRIPPLED}`);
      expect(refused).toContain("cannot create resource \\\"pods\\\"");
      expect((await kube.list(PODS, { namespace: other })).items).toEqual([]);
      expect((await kube.get<KubeObject & { status?: { phase?: string } }>(EXECUTIONS, other, "refused-run")).status?.phase ?? "Pending").toBe("Pending");
    } finally {
      await deleteNamespace(other);
    }
  });
});
