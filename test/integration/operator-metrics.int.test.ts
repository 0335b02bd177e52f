// The operator's /metrics after a real run: the operator program as its own process with its
// admission webhooks (registered by URL for this file's namespace only), an Agent and an
// Execution admitted through them, one iteration pod running the agent runtime against the
// scripted model. The new series moved, and everything served is in docs/metrics.md. And the
// dashboard's kustomization renders a ConfigMap the API server accepts.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { isKubeApiError } from "../../src/kube/errors.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EXECUTIONS, NAMESPACES, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/server.ts";
import { parseCatalog } from "../../src/observability/catalog.ts";
import { MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from "../../webhooks/configurations.ts";
import { renderWebhookConfigurations } from "../../webhooks/index.ts";
import { parse } from "yaml";
import { repoRoot } from "../../src/local/paths.ts";
import { createNamespace, eventually, hasLocalNode, kubeConfig, kubectl } from "../helpers/cluster.ts";
import { waitForPhase } from "../helpers/executions.ts";
import { installScriptedProvider, launchOperator, loopNames, removeLoopEnvironment, stopOperator } from "../helpers/loop-environment.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";

const NAMES = loopNames("metrics");
const suffix = randomBytes(3).toString("hex");
const SCOPE = { "test.aegis.dev/metrics": suffix };
const CONFIGURATIONS = { validating: `aegis-validating-metrics-${suffix}`, mutating: `aegis-mutating-metrics-${suffix}` };
const SCRIPT = { models: { [NAMES.model]: [{ match: { contains: "MEASURE" }, text: "DONE: measured" }] } };

let kube: KubeClient;
let namespace: string;
let db: TestDatabase;
let model: ScriptedModelServer;
let operator: OperatorProcess | undefined;
let registered = false;
const startOperator = operatorProcesses();

/** One scrape of the operator's /metrics as series → value. */
async function scrape(): Promise<{ text: string; value: (series: string) => number | undefined }> {
  const response = await fetch(`http://${await operator!.address("metrics")}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { text, value: (series) => values.get(series) };
}

/** Registers validating and mutating configurations for this file's namespace, pointing at the operator's webhook server. */
async function registerWebhooks(port: number): Promise<void> {
  // The operator keeps its serving certificate in aegis-system; the configurations trust its CA.
  const secret = await eventually(() => kube.get<KubeObject & { data?: Record<string, string> }>(SECRETS, "aegis-system", "aegis-webhooks-tls"), { message: "the webhook certificates" });
  const caBundle = Buffer.from(secret.data?.["ca-bundle.crt"] ?? "", "base64").toString();
  const [validating, mutating] = renderWebhookConfigurations({
    target: { url: `https://127.0.0.1:${port}` }, names: CONFIGURATIONS, namespaceSelector: { matchLabels: SCOPE }, caBundle,
  });
  await kube.apply(VALIDATING_WEBHOOKS, validating as unknown as KubeObject, { fieldManager: "metrics-test", force: true });
  await kube.apply(MUTATING_WEBHOOKS, mutating as unknown as KubeObject, { fieldManager: "metrics-test", force: true });
  registered = true;
  // The API server picks configurations up asynchronously: wait until a bad Agent is denied by ours.
  await eventually(async () => {
    const err = await kube.create(AGENTS, agent("probe", "(unclosed"), { dryRun: true }).then(() => undefined, (e: unknown) => e);
    expect(isKubeApiError(err) && err.message).toMatch(/agents\.validate\.aegis\.dev.*not a valid RE2 pattern/);
  }, { timeoutMs: 30_000, message: "the operator's validating webhook answers" });
}

const agent = (name: string, pattern: string): KubeObject => ({
  apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace },
  spec: {
    runtime: { language: "python", version: "3.12", model: NAMES.alias },
    task: { instruction: "You are a test agent.", promptTemplate: "MEASURE: answer DONE." },
    execution: { mode: "Iterative", maxIterations: 2, iterationTimeout: "2m", validation: [{ type: "ExitCode", expected: 0 }, { type: "Regex", target: "Output", pattern }] },
    tools: ["fs.*"],
    placement: { tags: [NAMES.tag] },
  },
});

describe.skipIf(!hasLocalNode())("the operator's /metrics after a real execution", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("metrics");
    await kube.jsonPatch(NAMESPACES, undefined, namespace, [{ op: "add", path: "/metadata/labels/test.aegis.dev~1metrics", value: suffix }]);
    db = await createTestDatabase();
    model = await startScriptedModelServer({ script: SCRIPT, apiKey: NAMES.key });
    await installScriptedProvider(kube, namespace, NAMES, model.url);
    const webhookPort = await freePort();
    // The usual launch, with the admission webhooks served too.
    const withWebhooks = (identity: string, args: readonly string[]) => startOperator(identity, [...args, "--webhook-addr", `127.0.0.1:${webhookPort}`]);
    operator = await launchOperator(withWebhooks, "metrics-operator", { gatewayPort: await freePort(), databaseUrl: db.url, namespace });
    await registerWebhooks(webhookPort);
  });

  afterAll(async () => {
    if (registered) {
      await kube.delete(VALIDATING_WEBHOOKS, undefined, CONFIGURATIONS.validating).catch(() => {});
      await kube.delete(MUTATING_WEBHOOKS, undefined, CONFIGURATIONS.mutating).catch(() => {});
    }
    await stopOperator(operator);
    await removeLoopEnvironment({ kube, names: NAMES, namespace, model, db });
  });

  it("moves the run, iteration, validator, gateway and webhook series, and serves only catalogued metrics", async () => {
    const before = await scrape();
    const passed = 'aegis_execution_iterations_total{outcome="passed"}';
    expect(before.value(passed)).toBe(0);
    const agentCreated = `aegis_webhook_admission_duration_seconds_count{webhook="validating",kind="Agent",operation="CREATE",allowed="true"}`;
    const agentsBefore = before.value(agentCreated) ?? 0;

    await kube.create(AGENTS, agent("measured", "DONE"));
    await eventually(async () => {
      const a = await kube.get<KubeObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } }>(AGENTS, namespace, "measured");
      const ready = a.status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status, ready?.message).toBe("True");
    }, { timeoutMs: 30_000, message: "Agent measured Ready" });
    await kube.create(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "measured-run", namespace }, spec: { agentRef: { name: "measured" } } });
    const done = await waitForPhase(kube, namespace, "measured-run", "Succeeded");
    expect(done.status).toMatchObject({ iterationDisplay: "1/2", reason: "ValidatorsPassed" });

    // The counters move after the status write the test just saw; a scrape may come first.
    const after = await eventually(async () => {
      const s = await scrape();
      expect(s.value(passed)).toBeGreaterThanOrEqual(1);
      expect(s.value('aegis_executions_completed_total{phase="Succeeded",reason="ValidatorsPassed"}')).toBeGreaterThanOrEqual(1);
      return s;
    }, { message: "the iteration and run counters" });
    expect(after.value('aegis_execution_iterations_total{outcome="failed"}')).toBe(0);
    expect(after.value('aegis_executions{phase="Succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(after.value('aegis_execution_duration_seconds_count{phase="Succeeded"}')).toBeGreaterThanOrEqual(1);
    for (const type of ["ExitCode", "Regex"]) {
      expect(after.value(`aegis_validator_score_count{type="${type}"}`), type).toBeGreaterThanOrEqual(1);
      expect(after.value(`aegis_validator_results_total{type="${type}",result="passed"}`), type).toBeGreaterThanOrEqual(1);
    }
    // The Agent and the Execution went through the operator's webhooks, the probe's denial too.
    expect(after.value(agentCreated)).toBeGreaterThan(agentsBefore);
    expect(after.value('aegis_webhook_admission_duration_seconds_count{webhook="validating",kind="Execution",operation="CREATE",allowed="true"}')).toBeGreaterThanOrEqual(1);
    expect(after.value('aegis_webhook_admission_duration_seconds_count{webhook="validating",kind="Agent",operation="CREATE",allowed="false"}')).toBeGreaterThanOrEqual(1);
    // The gateway's series are on the same endpoint.
    const byModel = `alias="${NAMES.alias}",provider="scripted"`;
    expect(after.value(`aegis_gateway_tokens_total{direction="in",${byModel}}`)).toBeGreaterThan(0);
    expect(after.value(`aegis_gateway_cost_usd_total{${byModel}}`)).toBeGreaterThan(0);
    expect(after.value('aegis_gateway_request_duration_seconds_count{route="/v1/chat/completions",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(after.value('controller_runtime_reconcile_total{controller="execution",result="success"}')).toBeGreaterThan(0);

    // Every metric served is in the catalog, and every catalogued one is served.
    const catalog = parseCatalog(readFileSync(join(import.meta.dirname, "..", "..", "docs", "metrics.md"), "utf8"));
    const served = [...after.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? "");
    const known = (name: string) => catalog.some((e) => (e.name.endsWith("*") ? name.startsWith(e.name.slice(0, -1)) : e.name === name));
    expect(served.filter((name) => !known(name))).toEqual([]);
    expect(catalog.filter((e) => !e.name.endsWith("*")).map((e) => e.name).filter((name) => !served.includes(name))).toEqual([]);
  });
});

describe("manifests/observability", () => {
  it("renders the dashboard ConfigMap with the sidecar's label, and the API server accepts it", async () => {
    const rendered = await kubectl(["kustomize", join(repoRoot(), "manifests", "observability")]);
    expect(rendered.stderr).toBe("");
    const configMap = parse(rendered.stdout) as { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(configMap).toMatchObject({ kind: "ConfigMap", metadata: { name: "aegis-operator-grafana-dashboard", namespace: "aegis-system", labels: { grafana_dashboard: "1" } } });
    const file = readFileSync(join(repoRoot(), "manifests", "observability", "dashboards", "aegis-operator.json"), "utf8");
    expect(JSON.parse(configMap.data["aegis-operator.json"] ?? "")).toEqual(JSON.parse(file));
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], { input: rendered.stdout });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
  });
});
