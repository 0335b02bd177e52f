// One Execution traced end to end (docs/tracing.md): the operator program, the agent runtime in
// its pod on the local node, the gateway and the scripted model server — each its own process
// but the gateway, inside the operator — export OTLP/HTTP JSON to a receiver in this test, and
// the execution's trace holds all four hops with their parent links, and no secret or prompt.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EXECUTIONS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { repoRoot } from "../../src/local/paths.ts";
import { createNamespace, deleteNamespace, eventually, hasLocalNode, kubeConfig } from "../helpers/cluster.ts";
import { waitForPhase } from "../helpers/executions.ts";
import { installScriptedProvider, launchOperator, loopNames, removeScriptedProvider, stopOperator } from "../helpers/loop-environment.ts";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../helpers/otlp-receiver.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const NAMES = loopNames("traces");
const PROMPT = "TRACE-PROMPT-CANARY: write the file.";
const TOOL_CONTENT = "tool-argument-canary";
const ANSWER = "DONE answer-canary";
const SCRIPT = {
  models: {
    [NAMES.model]: [
      { match: { contains: "TRACE-PROMPT-CANARY" }, text: "Writing.", toolCalls: [{ name: "fs.write", arguments: { path: "t.txt", content: TOOL_CONTENT } }] },
      { match: { regex: "\"bytes\"" }, text: ANSWER },
    ],
  },
};
const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let kube: KubeClient;
let namespace: string;
let db: TestDatabase;
let model: ChildProcess | undefined;
let operator: OperatorProcess | undefined;
// Spans are exported every 100 ms (OTEL_BSP_SCHEDULE_DELAY), not the SDK's 5 s.
const otelEnv = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" });
const startOperator = operatorProcesses(otelEnv);
const tempDir = tempDirs();

/** The scripted model server as its own process (the "model provider" hop), its URL from its first line. */
async function startModelProcess(): Promise<string> {
  const script = join(await tempDir("traces-model"), "script.json");
  await writeFile(script, JSON.stringify(SCRIPT));
  model = spawn(process.execPath, [join(repoRoot(), "src", "model-server", "main.ts"), "--script", script, "--api-key", NAMES.key], {
    stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...otelEnv() },
  });
  const [line] = (await once(model.stdout!, "data")) as [Buffer];
  return line.toString().trim();
}

describe.skipIf(!hasLocalNode())("tracing one execution across operator, agent runtime, gateway and model provider", () => {
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("traces");
    db = await createTestDatabase();
    await installScriptedProvider(kube, namespace, NAMES, await startModelProcess());
    operator = await launchOperator(startOperator, "traces-operator", { gatewayPort: await freePort(), databaseUrl: db.url, namespace });
  });

  afterAll(async () => {
    await stopOperator(operator);
    await removeScriptedProvider(kube, NAMES);
    if (namespace) await deleteNamespace(namespace);
    if (model && model.exitCode === null) {
      model.kill("SIGTERM");
      await once(model, "exit");
    }
    await db?.drop();
    await receiver?.stop();
  });

  it("exports one trace with the spans of all four hops, each the child of the hop before", async () => {
    await kube.create(AGENTS, {
      apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "traced", namespace },
      spec: {
        runtime: { language: "python", version: "3.12", model: NAMES.alias },
        task: { instruction: "You are a test agent.", promptTemplate: PROMPT },
        execution: { mode: "OneShot", maxIterations: 1, iterationTimeout: "2m", validation: [{ type: "Regex", target: "Output", pattern: "DONE" }] },
        tools: ["fs.*"],
        placement: { tags: [NAMES.tag] },
      },
    });
    await eventually(async () => {
      const agent = await kube.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(AGENTS, namespace, "traced");
      expect(agent.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }, { message: "Agent traced Ready" });
    await kube.create(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "traced-run", namespace }, spec: { agentRef: { name: "traced" } } });
    const done = await waitForPhase(kube, namespace, "traced-run", "Succeeded");
    expect(done.status?.outputPreview).toBe(ANSWER);

    // The operator's launch span of this execution roots the trace.
    const launch = await eventually(() => {
      const found = receiver.spans().find((s) => s.name === "iteration.launch" && s.attributes["aegis.execution"] === "traced-run");
      expect(found, "the launch span").toBeDefined();
      return found!;
    }, { message: "the operator's span exported" });
    expect(launch).toMatchObject({ service: "aegis-operator", parentSpanId: "", attributes: { "aegis.namespace": namespace, "aegis.iteration": 1, "aegis.agent": "traced" } });

    const inTrace = (): ReceivedSpan[] => receiver.spans().filter((s) => s.traceId === launch.traceId);
    const childOf = (parent: ReceivedSpan, want: Partial<ReceivedSpan>) => (s: ReceivedSpan) =>
      s.parentSpanId === parent.spanId && Object.entries(want).every(([k, v]) => s[k as keyof ReceivedSpan] === v);
    // Waits until the hop's span has arrived: each process exports on its own schedule.
    const hop = (parent: ReceivedSpan, want: Partial<ReceivedSpan>, what: string): Promise<ReceivedSpan> => eventually(() => {
      const found = inTrace().find(childOf(parent, want));
      expect(found, `${what} (the trace has: ${inTrace().map((s) => `${s.service}/${s.name}`).join(", ")})`).toBeDefined();
      return found!;
    }, { timeoutMs: 30_000, message: what });

    // operator → agent runtime (TRACEPARENT in the pod's env) → gateway (traceparent header) → model provider (traceparent header).
    const run = await hop(launch, { service: "aegis-agent-runtime", name: "iteration.run" }, "the runtime's iteration span under the launch");
    expect(run.attributes).toMatchObject({ "aegis.execution": "traced-run", "aegis.iteration": 1, "aegis.exit_code": 0 });
    const calls = await eventually(() => {
      const found = inTrace().filter(childOf(run, { service: "aegis-agent-runtime", name: "POST /v1/chat/completions", kind: CLIENT }));
      expect(found).toHaveLength(2); // the tool-call turn and the answer
      return found;
    }, { timeoutMs: 30_000, message: "the runtime's two chat calls" });
    for (const call of calls) {
      const served = await hop(call, { service: "aegis-gateway", name: "POST /v1/chat/completions", kind: SERVER }, "the gateway's server span under the runtime's call");
      expect(served.attributes).toMatchObject({ "http.route": "/v1/chat/completions", "http.response.status_code": 200, "aegis.execution": "traced-run", "aegis.namespace": namespace });
      const provider = await hop(served, { service: "aegis-gateway", name: `chat ${NAMES.model}`, kind: CLIENT }, "the gateway's provider call");
      expect(provider.attributes).toMatchObject({ "gen_ai.provider.name": "scripted", "gen_ai.request.model": NAMES.model, "server.address": "127.0.0.1" });
      expect(provider.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
      await hop(provider, { service: "scripted-model", name: "POST /v1/chat/completions", kind: SERVER }, "the model server's span under the provider call");
    }
    // The runtime's other gateway calls are in the trace too, each served under its own client span.
    for (const name of ["GET /v1/iteration", "POST /v1/tool-calls", "POST /v1/output"]) {
      const call = await hop(run, { service: "aegis-agent-runtime", name, kind: CLIENT }, `the runtime's ${name}`);
      await hop(call, { service: "aegis-gateway", kind: SERVER }, `the gateway serving ${name}`);
    }

    // Nothing secret or private was exported: not the provider key, the execution token, the prompt, tool arguments or output.
    const token = await kube.get<KubeObject & { data?: Record<string, string> }>(SECRETS, namespace, "traced-run-token");
    const exported = receiver.bodies().join("\n");
    for (const secret of [NAMES.key, Buffer.from(token.data?.["token"] ?? "", "base64").toString(), "TRACE-PROMPT-CANARY", TOOL_CONTENT, "answer-canary"]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(exported).not.toContain(secret);
    }
  });
});
