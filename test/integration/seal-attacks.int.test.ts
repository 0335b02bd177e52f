// SEAL's attack table (src/gateway/test-seal-attacks.ts, issue 5) against the real API server: the
// gateway started as the operator wires it (startExecutionServices: TokenReview and pod lookups
// through the API server, the signing key in its Secret, policies from labelled ConfigMaps, the
// machine's PostgreSQL). Each case attests two real pods (Execution, ServiceAccount, Pod bound to
// no node, a TokenRequest bound to the pod for the gateway's audience), then attacks; the policy
// swap is a ConfigMap update through the API server.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { revisionLabel } from "../../src/gateway/policy-check.ts";
import { keyFromSecret, SEAL_KEY_SECRET } from "../../src/gateway/seal-kube.ts";
import {
  ATTACK_AGENT_TOOLS, ATTACK_POLICY, playAttack, post, SEAL_ATTACKS, type Answer, type AttackHarness, type AttackPod,
} from "../../src/gateway/test-seal-attacks.ts";
import { SEAL_AUDIENCE } from "../../src/gateway/seal.ts";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { CONFIGMAPS, EVENTS, EXECUTIONS, PODS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createOperatorMetrics } from "../../src/operator-metrics.ts";
import { startExecutionServices, type ExecutionServices } from "../../src/operator-services.ts";
import { GIT_COMMIT_ANNOTATION, POLICY_LABEL, policySourcesFor } from "../../src/policy/configmaps.ts";
import { revisionOf } from "../../src/policy/load.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { exportPublicJwk, generateKeyPair, type Ed25519KeyPair } from "../../src/seal/keys.ts";
import { core, createNamespace, deleteNamespace, eventually, kubeConfig, kubeconfigPath } from "../helpers/cluster.ts";

const OPERATOR_NAMESPACE = "aegis-system";
const SERVICE_ACCOUNT = "seal-agent";
const POLICY_MAP = "seal-policies";

let kube: KubeClient;
let namespace: string;
let db: TestDatabase;
let services: ExecutionServices;
let harness: AttackHarness;
const stop = new AbortController();
const logLines: string[] = [];

/** The revision label the gateway must enforce in the namespace, from the labelled ConfigMaps the API server holds. */
async function revisionInApiServer(): Promise<string> {
  const selector = { labelSelector: `${POLICY_LABEL}=true` };
  const maps = [...(await kube.list(CONFIGMAPS, { namespace: OPERATOR_NAMESPACE, ...selector })).items, ...(await kube.list(CONFIGMAPS, { namespace, ...selector })).items];
  const { sources, commit } = policySourcesFor(maps, namespace, OPERATOR_NAMESPACE);
  return revisionLabel({ revision: revisionOf(sources), commit });
}

const enforced = (): string | undefined => {
  const current = services.policies.forNamespace(namespace).current();
  return current === undefined ? undefined : revisionLabel({ revision: current.policySet.revision, commit: current.commit });
};

/** Waits until the gateway enforces what the API server holds. */
async function policiesApplied(): Promise<void> {
  const want = await revisionInApiServer();
  await eventually(() => expect(enforced()).toBe(want), { message: `the gateway enforces policy revision ${want}` });
}

async function writePolicies(data: Record<string, string>, commit?: string): Promise<void> {
  const current = await kube.get<KubeObject>(CONFIGMAPS, namespace, POLICY_MAP);
  const annotations = { ...current.metadata.annotations };
  if (commit === undefined) delete annotations[GIT_COMMIT_ANNOTATION];
  else annotations[GIT_COMMIT_ANNOTATION] = commit;
  await kube.update(CONFIGMAPS, { ...current, metadata: { ...current.metadata, annotations }, data } as KubeObject);
  await policiesApplied();
}

const BASE_DATA = { "tools.cedar": ATTACK_POLICY };
let swapped = false;

interface RealPod extends AttackPod {
  readonly podName: string;
  readonly podUid: string;
}

/** An Execution (never reconciled: no controller runs here) and its iteration pod, which nothing schedules. */
async function createPod(prefix: string, options: { controlled?: boolean } = {}): Promise<{ execution: KubeObject; pod: KubeObject }> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  const execution = await kube.create<KubeObject>(EXECUTIONS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: "coder" } },
  } as KubeObject);
  const owner = { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", name, uid: execution.metadata.uid!, controller: true };
  const pod = await kube.create<KubeObject>(PODS, {
    apiVersion: "v1", kind: "Pod",
    metadata: {
      name: `${name}-1`, namespace, labels: { "aegis.dev/execution": name, "aegis.dev/iteration": "1" },
      ...(options.controlled === false ? {} : { ownerReferences: [owner] }),
    },
    spec: {
      serviceAccountName: SERVICE_ACCOUNT, automountServiceAccountToken: false,
      // No scheduler has this name: the pod stays Pending, bound to no node, and nothing runs it.
      schedulerName: "aegis-test-unscheduled",
      containers: [{ name: "agent", image: "registry.invalid/aegis-agent:test" }],
    },
  } as KubeObject);
  return { execution, pod };
}

/** A TokenRequest for the pod's service account, bound to the pod (what the projected volume holds). */
async function podToken(pod: KubeObject, audiences = [SEAL_AUDIENCE]): Promise<string> {
  const answer = await core().createNamespacedServiceAccountToken({
    name: SERVICE_ACCOUNT, namespace,
    body: { spec: { audiences, expirationSeconds: 600, boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name!, uid: pod.metadata.uid! } } },
  });
  const token = answer.status?.token;
  if (!token) throw new Error("the TokenRequest returned no token");
  return token;
}

const attest = (saToken: string, keys: Ed25519KeyPair): Promise<Answer> =>
  post(harness.gatewayUrl, "/v1/seal/attest", undefined, JSON.stringify({ serviceAccountToken: saToken, publicKey: exportPublicJwk(keys.publicKey) }));

/** A real pod of a running iteration (its grant registered as the Execution controller does), attested. */
async function attestedPod(prefix: string): Promise<RealPod & { saToken: string }> {
  const { execution, pod } = await createPod(prefix);
  const name = execution.metadata.name!;
  const bearer = `tok-${randomBytes(16).toString("hex")}`;
  services.execution.credentials!.register({
    token: bearer, namespace, execution: name, agent: "coder", uid: execution.metadata.uid!, iteration: 1,
    model: "smart", agentTools: ATTACK_AGENT_TOOLS, payload: { systemPrompt: "", task: "", tools: [] },
  });
  const keys = generateKeyPair();
  const saToken = await podToken(pod);
  const answer = await attest(saToken, keys);
  expect(answer, JSON.stringify(answer.json)).toMatchObject({ status: 200 });
  return { namespace, execution: name, uid: execution.metadata.uid!, iteration: 1, bearer, keys, token: answer.json.token as string, podName: pod.metadata.name!, podUid: pod.metadata.uid!, saToken };
}

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("seal-attacks");
  await core().createNamespacedServiceAccount({ namespace, body: { metadata: { name: SERVICE_ACCOUNT } } });
  await kube.create(CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: POLICY_MAP, namespace, labels: { [POLICY_LABEL]: "true" } }, data: BASE_DATA } as KubeObject);
  db = await createTestDatabase();
  // The operator's configuration and wiring (src/main.ts), minus the controllers.
  const config = loadConfig({
    argv: [
      "--kubeconfig", kubeconfigPath(), "--leader-elect=false", "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
      "--gateway-addr", "127.0.0.1:0", "--log-level", "info", "--watch-namespaces", `${OPERATOR_NAMESPACE},${namespace}`,
    ],
    env: { DATABASE_URL: db.url },
    defaultIdentity: "seal-attacks",
  });
  const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _enc, done) => void (logLines.push(chunk.toString()), done()) }));
  const informers = createInformerFactory(kube, { log: pino({ level: "silent" }) });
  services = await startExecutionServices({ config, client: kube, informers, metrics: createOperatorMetrics({ defaultMetrics: false }), log });
  await informers.start(stop.signal);
  const signingKey = keyFromSecret(await kube.get(SECRETS, OPERATOR_NAMESPACE, SEAL_KEY_SECRET));
  if (signingKey === undefined) throw new Error(`no signing key in ${OPERATOR_NAMESPACE}/${SEAL_KEY_SECRET}`);
  harness = {
    gatewayUrl: services.gateway.url,
    now: Date.now,
    signingKey,
    async addPolicy(name, cedar) {
      swapped = true;
      await writePolicies({ ...BASE_DATA, [`${name}.cedar`]: cedar }, `swap-${randomBytes(4).toString("hex")}`);
    },
    policyRevision: enforced,
    history: services.history.store,
    logs: () => logLines,
  };
  await policiesApplied();
});

afterEach(async () => {
  if (!swapped) return;
  swapped = false;
  await writePolicies(BASE_DATA);
});

afterAll(async () => {
  stop.abort();
  await services?.stop();
  await db?.drop();
  if (namespace) await deleteNamespace(namespace);
});

describe("SEAL attacks against the gateway as the operator runs it", () => {
  it.each(SEAL_ATTACKS)("refuses: $name → $expected.code", async (attack) => {
    const pod = await attestedPod("atk");
    const other = await attestedPod("oth");
    await playAttack(harness, attack, pod, other);
    if (swapped) {
      // The swap went through the API server: the deny recorded the revision of the ConfigMaps it holds now, with their Git commit.
      const denied = (await services.history.store.toolCallsOf(pod.uid, 1)).find((c) => c.decision === "deny");
      expect(denied?.policyRevision).toMatch(/@swap-[0-9a-f]{8}$/);
      expect(denied?.policyRevision).toBe(await revisionInApiServer());
    }
    if (attack.expected.code === "PolicyDenied") {
      // Published to the API server too: a ToolPolicyViolation Event on the Execution, with the revision.
      const revision = harness.policyRevision()!;
      await eventually(async () => {
        const events = (await kube.list<KubeObject & { reason?: string; note?: string; regarding?: { uid?: string } }>(EVENTS, { namespace })).items;
        expect(events.filter((e) => e.reason === "ToolPolicyViolation" && e.regarding?.uid === pod.uid).map((e) => e.note)).toEqual([expect.stringContaining(revision)]);
      }, { message: `a ToolPolicyViolation Event on ${pod.execution}` });
    }
  });
});

describe("attestation with real service-account tokens", () => {
  const refusedWith = async (answer: Promise<Answer>, code: string, status: number) => {
    expect(await answer).toMatchObject({ status, json: { code } });
    expect(logLines.some((l) => l.includes("refused a SEAL attestation") && l.includes(`"code":"${code}"`))).toBe(true);
  };
  /** UnknownWorkload is 503 (retry) during the gateway's warm-up after a start, then 403. */
  const unknownWorkload = (send: () => Promise<Answer>) =>
    eventually(() => refusedWith(send(), "UnknownWorkload", 403), { timeoutMs: 45_000, intervalMs: 1000, message: "UnknownWorkload after the warm-up" });

  it("a token bound to the pod but for the API server's audience is not authenticated for the gateway's", async () => {
    const { pod } = await createPod("aud");
    await refusedWith(attest(await podToken(pod, ["https://kubernetes.default.svc"]), generateKeyPair()), "WorkloadNotAuthenticated", 401);
  });

  it("a token of a deleted pod stops authenticating", async () => {
    const real = await attestedPod("gone");
    await kube.delete(PODS, namespace, real.podName, { uid: real.podUid });
    // The API server remembers a successful token authentication for 10 s.
    await eventually(() => refusedWith(attest(real.saToken, real.keys), "WorkloadNotAuthenticated", 401), { message: "the deleted pod's token refused" });
  });

  it("the same pod may not bind a second key; a pod no Execution controls and a finished iteration's pod get no token", async () => {
    const real = await attestedPod("twice");
    expect((await attest(real.saToken, real.keys)).status).toBe(200);
    await unknownWorkload(() => attest(real.saToken, generateKeyPair()));
    const { pod: stray } = await createPod("stray", { controlled: false });
    const strayToken = await podToken(stray);
    await unknownWorkload(() => attest(strayToken, generateKeyPair()));
    const finished = await attestedPod("done");
    services.execution.credentials!.finish(finished.bearer);
    await unknownWorkload(() => attest(finished.saToken, finished.keys));
  });
});
