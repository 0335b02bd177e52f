// The 100monkeys loop end to end: the operator program (gateway, history, controllers) as its own
// process, iteration pods running the real agent runtime as processes on the local node, the
// scripted model server behind an OpenAI-compatible provider, the machine's PostgreSQL.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/server.ts";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EVENTS, EXECUTIONS, PODS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { phaseRecorder, waitForPhase, type ExecutionObject } from "../helpers/executions.ts";
import { core, createNamespace, eventually, hasLocalNode, kubeConfig } from "../helpers/cluster.ts";
import { installScriptedProvider, launchOperator, loopNames, removeLoopEnvironment, stopOperator } from "../helpers/loop-environment.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";

const NAMES = loopNames("loop");
const { tag: TAG, alias: ALIAS, model: MODEL, key: KEY } = NAMES;
let kube: KubeClient;
let namespace: string;
let model: ScriptedModelServer;
let db: TestDatabase;
let sql: pg.Pool;
let gatewayPort: number;
let operator: OperatorProcess | undefined;
const startOperator = operatorProcesses();
const recordPhases = phaseRecorder(() => kube);

/** The model's turns. Each iteration is its own conversation (its first user message differs). */
const SCRIPT = {
  models: {
    [MODEL]: [
      // The loop agent, iteration 1: writes a file, reads it back with a command, answers without DONE.
      { match: { regex: "^# Task\\n\\nLOOP(?![\\s\\S]*# Feedback)" }, text: "Writing.", toolCalls: [{ name: "fs.write", arguments: { path: "notes.txt", content: "hello-from-fs-write\n" } }] },
      { match: { regex: "\"bytes\"" }, toolCalls: [{ name: "cmd.run", arguments: { command: "cat", args: ["notes.txt"] } }] },
      { match: { contains: "hello-from-fs-write" }, text: "first attempt, not finished" },
      // Iteration 2, refined with the validators' feedback.
      { match: { regex: "^# Task\\n\\nLOOP[\\s\\S]*# Feedback" }, text: "DONE: notes written and checked" },
      // The faults agent: the provider fails twice, then a malformed call and an unknown tool.
      { match: { contains: "FAULTS" }, faults: [{ status: 500, times: 2 }], toolCalls: [{ name: "fs.write", rawArguments: "{\"path\": \"a" }, { name: "no.such.tool", arguments: {} }] },
      { match: { regex: "no.such.tool|not among" }, text: "DONE despite faults" },
      // The slow agent: a long model turn, long enough to kill the operator or cancel meanwhile.
      { match: { contains: "SLOW" }, delayMs: 4000, text: "DONE slowly" },
      { match: { contains: "SLOW" }, text: "DONE after the restart" },
      { match: { contains: "HANG" }, delayMs: 120_000, text: "never seen" },
      // The judged agent, and its judge (the grader Agent thinks with the same alias).
      { match: { regex: "^# Task\\n\\nJUDGED(?![\\s\\S]*# Feedback)" }, text: "attempt-one" },
      { match: { regex: "^# Task\\n\\nJUDGED[\\s\\S]*# Feedback" }, text: "attempt-two" },
      { match: { regex: "GRADECRIT[\\s\\S]*attempt-one" }, text: "{\"score\": 0.9, \"confidence\": 0.4, \"reasoning\": \"probably fine, hard to tell\"}" },
      { match: { regex: "GRADECRIT[\\s\\S]*attempt-two" }, text: "{\"score\": 0.95, \"confidence\": 0.9, \"reasoning\": \"clearly final\"}" },
    ],
  },
};

async function createAgent(name: string, task: string, validation: unknown[], mode: "OneShot" | "Iterative" = "Iterative"): Promise<void> {
  await kube.create(AGENTS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace },
    spec: {
      runtime: { language: "python", version: "3.12", model: ALIAS },
      task: { instruction: "You are a test agent.", promptTemplate: task },
      execution: { mode, maxIterations: 3, iterationTimeout: "2m", validation },
      tools: ["fs.*", "cmd.run"],
      placement: { tags: [TAG] },
    },
  });
  await eventually(async () => {
    const agent = await kube.get<KubeObject & { status?: { conditions?: { type: string; status: string; message: string }[] } }>(AGENTS, namespace, name);
    const ready = agent.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready?.status, ready?.message).toBe("True");
  }, { timeoutMs: 30_000, message: `Agent ${name} Ready` });
}

const createExecution = (name: string, agent: string) => kube.create(EXECUTIONS, {
  apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: agent } },
});

const get = (name: string) => kube.get<ExecutionObject>(EXECUTIONS, namespace, name);

const podsOf = async (name: string) => (await kube.list(PODS, { namespace, labelSelector: `aegis.dev/execution=${name}` })).items;

const launch = (identity: string): Promise<OperatorProcess> =>
  launchOperator(startOperator, identity, { gatewayPort, databaseUrl: db.url, namespace });

const uidOf = async (name: string): Promise<string> => (await get(name)).metadata.uid ?? "";

describe.skipIf(!hasLocalNode())("the execution loop end to end (operator process, agent runtime pods, gateway, history)", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("loop");
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    model = await startScriptedModelServer({ script: SCRIPT, apiKey: KEY });
    gatewayPort = await freePort();
    await installScriptedProvider(kube, namespace, NAMES, model.url);
    operator = await launch("loop-operator-1");
  });

  afterAll(async () => {
    await stopOperator(operator);
    await sql?.end();
    await removeLoopEnvironment({ kube, names: NAMES, namespace, model, db });
  });

  it("writes a file and runs a command, fails a validator, refines with the feedback and succeeds", async () => {
    await createAgent("looper", "LOOP: write the notes and check them.", [
      { type: "ExitCode", expected: 0 },
      { type: "Regex", target: "Output", pattern: "DONE" },
    ]);
    const phases = await recordPhases(namespace, "loop-run");
    await createExecution("loop-run", "looper");
    const done = await waitForPhase(kube, namespace, "loop-run", "Succeeded");
    expect(done.status).toMatchObject({ iterationDisplay: "2/3", reason: "ValidatorsPassed", score: 1, outputPreview: "DONE: notes written and checked" });
    expect(done.status?.tokens).toBeGreaterThan(0);
    expect(done.status?.cost).toBeGreaterThan(0);
    expect(done.status?.iterations?.[0]).toMatchObject({ number: 1, phase: "Failed", feedback: expect.stringMatching(/DONE/) });
    await eventually(() => expect(phases).toEqual(["Pending", "Running", "Validating", "Refining", "Running", "Validating", "Succeeded"]), { message: "phase sequence" });

    const uid = done.metadata.uid ?? "";
    // Events mark each iteration starting (two), the refinement and the end (scoring and Pending are quiet).
    await eventually(async () => {
      const events = (await kube.list<KubeObject & { reason?: string; regarding?: { uid?: string } }>(EVENTS, { namespace })).items.filter((e) => e.regarding?.uid === uid);
      expect(events.map((e) => e.reason).sort()).toEqual(["Refining", "Running", "Running", "ValidatorsPassed"]);
    }, { message: "the run's Events" });
    // The command read back what fs.write wrote on the workspace: both ran in the pod, allowed by the gateway.
    const calls = await sql.query<{ tool_name: string; decision: string; result_summary: string | null; error: string | null; policy_revision: string | null }>(
      "SELECT tool_name, decision, result_summary, error, policy_revision FROM tool_calls WHERE execution_uid = $1 AND iteration = 1 ORDER BY seq", [uid]);
    expect(calls.rows.map((r) => [r.tool_name, r.decision, r.error])).toEqual([["fs.write", "allow", null], ["cmd.run", "allow", null]]);
    // Both were authorized by the default Cedar policies of manifests/base, whose revision the status shows.
    const revision = (done.status as { policyRevision?: string }).policyRevision;
    expect(revision).toMatch(/^[0-9a-f]{64}/);
    expect(calls.rows.map((r) => r.policy_revision)).toEqual([revision, revision]);
    expect(calls.rows[1]?.result_summary).toContain("hello-from-fs-write");
    // The second iteration's prompt carried the first one's output and the validators' feedback.
    const second = model.requests({ model: MODEL }).map((r) => JSON.stringify(r.body)).find((b) => b.includes("# Feedback"));
    expect(second).toContain("first attempt, not finished");
    expect(second).toMatch(/Regex \(score 0\.00\)/);
    // No provider key ever reached a pod: the pods' env has only the execution token, by reference.
    for (const pod of await podsOf("loop-run")) {
      const env = JSON.stringify((pod.spec as { containers: { env: unknown }[] }).containers[0]?.env);
      expect(env).not.toContain(KEY);
      expect(env).toContain("secretKeyRef");
      // SEAL: a projected service-account token for the gateway's audience, nothing automounted.
      const spec = pod.spec as { automountServiceAccountToken?: boolean; volumes: { projected?: { sources: { serviceAccountToken?: { audience?: string } }[] } }[] };
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.volumes.flatMap((v) => v.projected?.sources ?? []).map((s) => s.serviceAccountToken?.audience)).toEqual(["aegis-gateway"]);
      expect(env).toContain("AEGIS_SA_TOKEN_FILE");
    }
    // The tool calls above reached the gateway only as SEAL envelopes (attested through the real
    // TokenReview); none was refused.
    const refused = await sql.query("SELECT payload FROM domain_events WHERE execution_uid = $1 AND type = 'SealRejected'", [uid]);
    expect(refused.rows).toEqual([]);
  });

  it("SEAL attestation checks service-account tokens with the real TokenReview", async () => {
    const attest = async (serviceAccountToken: string) => {
      const res = await fetch(`http://127.0.0.1:${gatewayPort}/v1/seal/attest`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ serviceAccountToken, publicKey: { kty: "OKP", crv: "Ed25519", x: Buffer.alloc(32, 7).toString("base64url") } }),
      });
      return { status: res.status, body: (await res.json()) as { code?: string } };
    };
    const tokenFor = async (audiences: string[]) => (await core().createNamespacedServiceAccountToken({
      name: "default", namespace, body: { spec: { audiences, expirationSeconds: 600 } },
    })).status?.token ?? "";
    // A token that is not bound to a pod works from anywhere: refused.
    expect(await attest(await tokenFor(["aegis-gateway"]))).toEqual({ status: 401, body: expect.objectContaining({ code: "WorkloadNotPodBound" }) });
    // A token for another audience does not authenticate for ours.
    expect(await attest(await tokenFor(["https://kubernetes.default.svc"]))).toEqual({ status: 401, body: expect.objectContaining({ code: "WorkloadNotAuthenticated" }) });
    expect(await attest("not-a-token")).toEqual({ status: 401, body: expect.objectContaining({ code: "WorkloadNotAuthenticated" }) });
    // The gateway's token key lives in a Secret of the operator's namespace (restarts share it).
    const secret = await kube.get<KubeObject & { data?: Record<string, string> }>(SECRETS, "aegis-system", "aegis-seal-signing-key");
    expect(Object.keys(secret.data ?? {})).toEqual(expect.arrayContaining(["created", "kid", "private.pem"]));
  });

  it("retries a provider that answers 500 twice; a malformed tool call and an unknown tool are errors the model sees", async () => {
    await createAgent("faulty", "FAULTS: do it anyway.", [{ type: "Regex", target: "Output", pattern: "DONE" }], "OneShot");
    await createExecution("faults-run", "faulty");
    const done = await waitForPhase(kube, namespace, "faults-run", "Succeeded");
    expect(done.status).toMatchObject({ iterationDisplay: "1/1", outputPreview: "DONE despite faults" });
    const statuses = model.requests({ model: MODEL }).filter((r) => JSON.stringify(r.body).includes("FAULTS")).map((r) => r.status);
    expect(statuses.slice(0, 3)).toEqual([500, 500, 200]);
    const calls = await sql.query<{ tool_name: string; decision: string }>(
      "SELECT tool_name, decision FROM tool_calls WHERE execution_uid = $1 ORDER BY seq", [await uidOf("faults-run")]);
    // The malformed call never reached the gateway; the unknown tool was asked and denied.
    expect(calls.rows).toEqual([{ tool_name: "no.such.tool", decision: "deny" }]);
  });

  it("survives the operator being killed mid-iteration: it finishes, with one pod and one row per event", async () => {
    await createAgent("slow", "SLOW: take your time.", [{ type: "Regex", target: "Output", pattern: "DONE" }], "OneShot");
    await createExecution("slow-run", "slow");
    await eventually(() => expect(model.requests({ model: MODEL }).some((r) => JSON.stringify(r.body).includes("SLOW"))).toBe(true),
      { timeoutMs: 60_000, message: "the slow model turn is in flight" });
    operator!.child.kill("SIGKILL");
    await operator!.exited;
    operator = await launch("loop-operator-2");
    const done = await waitForPhase(kube, namespace, "slow-run", "Succeeded");
    expect(done.status?.outputPreview).toMatch(/^DONE/);
    expect((await podsOf("slow-run")).map((p) => p.metadata.name)).toEqual(["slow-run-1"]);
    const events = await sql.query<{ type: string; iteration: number; n: string }>(
      "SELECT type, iteration, count(*) AS n FROM domain_events WHERE execution_uid = $1 GROUP BY type, iteration ORDER BY type", [done.metadata.uid]);
    expect(events.rows.map((r) => [r.type, r.iteration, Number(r.n)])).toEqual([
      ["ExecutionFinished", 1, 1], ["IterationOutput", 1, 1], ["IterationStarted", 1, 1], ["IterationValidated", 1, 1],
    ]);
  });

  it("scores with a judge Agent through the gateway: below its confidence threshold it refines, then passes", async () => {
    await createAgent("grader", "Grade answers.", [], "OneShot");
    await createAgent("judged", "JUDGED: give a final answer.", [
      { type: "Semantic", judgeAgent: "grader", criteria: "GRADECRIT: the answer is final.", minScore: 0.8, minConfidence: 0.7 },
    ]);
    await createExecution("judged-run", "judged");
    const done = await waitForPhase(kube, namespace, "judged-run", "Succeeded");
    expect(done.status).toMatchObject({ iterationDisplay: "2/3", outputPreview: "attempt-two", score: 0.95 });
    expect(done.status?.iterations?.[0]).toMatchObject({ phase: "Failed", feedback: expect.stringMatching(/confidence/i) });
  });

  it("cancels a running execution: the pod is stopped and the phase is Cancelled", async () => {
    await createAgent("hang", "HANG: wait for the model.", [{ type: "ExitCode", expected: 0 }], "OneShot");
    await createExecution("hang-run", "hang");
    await waitForPhase(kube, namespace, "hang-run", "Running");
    await eventually(() => expect(model.requests({ model: MODEL }).some((r) => JSON.stringify(r.body).includes("HANG"))).toBe(true),
      { timeoutMs: 60_000, message: "the agent runtime is talking to the model" });
    await kube.apply(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "hang-run", namespace }, spec: { agentRef: { name: "hang" }, cancel: true } },
      { fieldManager: "test-user", force: true });
    const cancelled = await waitForPhase(kube, namespace, "hang-run", "Cancelled", 30_000);
    expect(cancelled.status?.conditions?.find((c) => c.type === "Cancelled")?.status).toBe("True");
    await eventually(async () => {
      const pods = await podsOf("hang-run");
      const phase = (pods[0]?.status as { phase?: string } | undefined)?.phase;
      expect(pods.length === 0 || phase === "Failed" || phase === "Succeeded").toBe(true);
    }, { timeoutMs: 30_000, message: "the pod is stopped" });
  });
});
