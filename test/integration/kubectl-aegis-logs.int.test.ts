// `kubectl aegis logs -f` end to end: the operator program as its own process (gateway, history,
// controllers), a real execution of two iterations on the local node with the scripted model, and
// the CLI as a subprocess following the execution's transcript over the gateway's Server-Sent
// Events until the execution ends. The CLI sends a ServiceAccount's token from its kubeconfig; the
// gateway checks it with TokenReview and SubjectAccessReview.
import { execFile, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/server.ts";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EXECUTIONS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { waitForPhase } from "../helpers/executions.ts";
import { core, createNamespace, eventually, hasLocalNode, kubeConfig, kubectl } from "../helpers/cluster.ts";
import { installScriptedProvider, launchOperator, loopNames, removeLoopEnvironment, stopOperator } from "../helpers/loop-environment.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const CLI = join(import.meta.dirname, "../../src/cli/aegis.ts");
const NAMES = loopNames("logs");
const { tag: TAG, alias: ALIAS, model: MODEL, key: KEY } = NAMES;
const tempDir = tempDirs();
const startOperator = operatorProcesses();
let kube: KubeClient;
let namespace: string;
let model: ScriptedModelServer;
let db: TestDatabase;
let gatewayPort: number;
let operator: OperatorProcess | undefined;
let readerToken: string;
let strangerToken: string;
let readerKubeconfig: string;

const SCRIPT = {
  models: {
    [MODEL]: [
      { match: { regex: "^# Task\\n\\nLOGS[\\s\\S]*# Feedback" }, text: "DONE: second try" },
      { match: { regex: "^# Task\\n\\nLOGS(?![\\s\\S]*# Feedback)" }, text: "Writing.", toolCalls: [{ name: "fs.write", arguments: { path: "notes.txt", content: "hi\n" } }] },
      { match: { regex: "\"bytes\"" }, text: "first attempt" },
    ],
  },
};

interface Result { code: number | null; stdout: string; stderr: string }

function aegis(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {
      env: { ...process.env, KUBECONFIG: readerKubeconfig, AEGIS_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`, ...env }, timeout: 120_000,
    }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }));
  });
}

/** A kubeconfig for the test cluster whose user is a bearer token. */
function tokenKubeconfig(dir: string, token: string): string {
  const cluster = kubeConfig().getCurrentCluster()!;
  const ca = cluster.caData ?? (cluster.caFile === undefined ? undefined : readFileSync(cluster.caFile).toString("base64"));
  const path = join(dir, "kubeconfig");
  writeFileSync(path, stringify({
    apiVersion: "v1", kind: "Config", "current-context": "reader",
    clusters: [{ name: "test", cluster: { server: cluster.server, ...(ca === undefined ? {} : { "certificate-authority-data": ca }) } }],
    users: [{ name: "reader", user: { token } }],
    contexts: [{ name: "reader", context: { cluster: "test", user: "reader", namespace } }],
  }));
  return path;
}

const tokenOf = async (sa: string): Promise<string> =>
  (await core().createNamespacedServiceAccountToken({ name: sa, namespace, body: { spec: { expirationSeconds: 3600 } } })).status?.token ?? "";

describe.skipIf(!hasLocalNode())("kubectl aegis logs: the transcript streamed from the gateway", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("logs");
    db = await createTestDatabase();
    model = await startScriptedModelServer({ script: SCRIPT, apiKey: KEY });
    gatewayPort = await freePort();
    await installScriptedProvider(kube, namespace, NAMES, model.url);
    // reader may get executions in the namespace; stranger may not.
    const rbac = await kubectl(["apply", "-f", "-"], {
      namespace,
      input: [
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: reader}",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: stranger}",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: execution-reader}\nrules: [{apiGroups: [aegis.dev], resources: [executions], verbs: [get]}]",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: execution-reader}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: execution-reader}\n"
          + `subjects: [{kind: ServiceAccount, name: reader, namespace: ${namespace}}]`,
      ].join("\n---\n"),
    });
    expect(rbac.code, rbac.stderr).toBe(0);
    readerToken = await tokenOf("reader");
    strangerToken = await tokenOf("stranger");
    readerKubeconfig = tokenKubeconfig(await tempDir("aegis-logs"), readerToken);
    operator = await launchOperator(startOperator, "logs-operator", { gatewayPort, databaseUrl: db.url, namespace });
    await kube.create(AGENTS, {
      apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "logger", namespace },
      spec: {
        runtime: { language: "python", version: "3.12", model: ALIAS },
        task: { instruction: "You are a test agent.", promptTemplate: "LOGS: write the notes." },
        execution: { mode: "Iterative", maxIterations: 3, iterationTimeout: "2m", validation: [{ type: "Regex", target: "Output", pattern: "DONE" }] },
        tools: ["fs.*"], placement: { tags: [TAG] },
      },
    });
    await eventually(async () => {
      const agent = await kube.get<KubeObject & { status?: { conditions?: { type: string; status: string; message: string }[] } }>(AGENTS, namespace, "logger");
      expect(agent.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }, { timeoutMs: 30_000, message: "Agent Ready" });
  });

  afterAll(async () => {
    await stopOperator(operator);
    await removeLoopEnvironment({ kube, names: NAMES, namespace, model, db });
  });

  it("logs -f follows a run to its end, line by line in order, and exits 0; logs alone prints the same", async () => {
    await kube.create(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "logged", namespace }, spec: { agentRef: { name: "logger" } } });
    // Followed from the start, as a subprocess: lines are collected as they arrive.
    const child = spawn(process.execPath, [CLI, "logs", "-f", "logged"], {
      env: { ...process.env, KUBECONFIG: readerKubeconfig, AEGIS_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Lines arrive while the run is still going, not all at its end.
    await eventually(() => expect(stdout).toContain("[iteration 1] tool fs.write allow"), { timeoutMs: 90_000, message: "the first tool call, streamed" });
    const done = await waitForPhase(kube, namespace, "logged", "Succeeded");
    expect(done.status?.iterationDisplay).toBe("2/3");
    expect(await exited, stderr).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    const expected = [
      /^\[iteration 1\] started \(pod logged-1\)$/,
      /^\[iteration 1\] user: # Task LOGS: write the notes\./,
      /^\[iteration 1\] assistant: Writing\. → calls fs\.write$/,
      /^\[iteration 1\] tool fs\.write allow( \(policy [0-9a-f]{12}\))? ok \d+ms$/,
      /^\[iteration 1\] assistant: first attempt$/,
      /^\[iteration 1\] output \(exit 0\): first attempt$/,
      /^\[iteration 1\] validated: failed score 0\.00 confidence 1\.00 — .*DONE/,
      /^\[iteration 2\] started \(pod logged-2\)$/,
      /^\[iteration 2\] user: # Task LOGS: write the notes\..*# Feedback/,
      /^\[iteration 2\] assistant: DONE: second try$/,
      /^\[iteration 2\] output \(exit 0\): DONE: second try$/,
      /^\[iteration 2\] validated: passed score 1\.00 confidence 1\.00/,
      /^execution finished: Succeeded \(ValidatorsPassed\) score 1\.00$/,
    ];
    // Each expected line, in this order (other lines, e.g. a user turn resent, may come between).
    let at = 0;
    for (const pattern of expected) {
      const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
      expect(found, `${String(pattern)} after line ${at} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(lines.at(-1)).toMatch(/^execution finished: Succeeded/);

    // Without -f: what history holds, then exit.
    const replay = await aegis(["logs", "logged", "-n", namespace]);
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe(stdout);
  });

  it("refuses a token not allowed to get the execution (403), an invalid one (401), and an unknown execution (404)", async () => {
    const url = `http://127.0.0.1:${gatewayPort}/v1/executions/${namespace}/logged/transcript`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${strangerToken}` } })).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: "Bearer not-a-token" } })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${gatewayPort}/v1/executions/${namespace}/no-such-run/transcript`, { headers: { authorization: `Bearer ${readerToken}` } })).status).toBe(404);
    const refused = await aegis(["logs", "-f", "logged", "--token", strangerToken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^forbidden: not allowed to get executions logged in namespace /);
    const missing = await aegis(["logs", "no-such-run"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`execution no-such-run not found in namespace ${namespace}`);
  });
});
