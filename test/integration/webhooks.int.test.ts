// The admission webhooks through the real API server: the server runs in this process on a free
// port, its configurations use url clientConfig and are scoped by namespace and object labels
// to this file's namespace, so test files running in parallel never reach them.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isKubeApiError } from "../../src/kube/errors.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS, EXECUTIONS, NAMESPACES, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { PolicyStore } from "../../src/policy/store.ts";
import { Registry } from "prom-client";
import { MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from "../../webhooks/configurations.ts";
import { createWebhookMetrics, type WebhookMetrics } from "../../webhooks/metrics.ts";
import { renderWebhookConfigurations, startWebhooks, type Webhooks } from "../../webhooks/index.ts";
import { validAgent, validExecution, variant, type Manifest } from "../fixtures/aegis.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig, kubectl } from "../helpers/cluster.ts";

const suffix = randomBytes(3).toString("hex");
const SCOPE = { "test.aegis.dev/webhooks": suffix };
const NAMES = { validating: `aegis-validating-test-${suffix}`, mutating: `aegis-mutating-test-${suffix}` };
const SECRET = "aegis-webhooks-tls";
const BAD_PATTERN_MESSAGE = /admission webhook "agents\.validate\.aegis\.dev" denied the request: spec\.execution\.validation\[0\]\.pattern: not a valid RE2 pattern/;

let kube: KubeClient;
let namespace: string;
/** Held to examples/policies (plus one forbid); every other namespace to a permit-all set. */
let cedarNamespace: string;
let webhooks: Webhooks | undefined;
const metrics: WebhookMetrics = createWebhookMetrics(new Registry());

/** How many reviews our server answered for this webhook and kind. */
async function answered(webhook: "mutating" | "validating", kind: string): Promise<number> {
  const { values } = await metrics.admissionSeconds.get();
  return values.filter((v) => v.metricName === "aegis_webhook_admission_duration_seconds_count" && v.labels.webhook === webhook && v.labels.kind === kind)
    .reduce((sum, v) => sum + v.value, 0);
}

function policyStores() {
  const dir = join(import.meta.dirname, "..", "..", "examples", "policies");
  const team = new PolicyStore();
  const result = team.update([
    ...readdirSync(dir).filter((f) => f.endsWith(".cedar")).map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") })),
    { name: "team.cedar", text: '@id("no-shell")\nforbid (principal, action == Action::"agent:declareTool", resource == Tool::"cmd.run");' },
  ]);
  const open = new PolicyStore();
  open.update([{ name: "open.cedar", text: "permit (principal, action, resource);" }]);
  if (!result.ok) throw new Error(`example policies: ${JSON.stringify(result.errors)}`);
  return { forNamespace: (ns: string) => (ns === cedarNamespace ? team : open) };
}

function agent(name: string, validation: Record<string, unknown>[]): Manifest {
  return variant(validAgent(), (m) => {
    m.metadata = { name, namespace, labels: SCOPE } as Manifest["metadata"];
    (m.spec as Record<string, unknown>).execution = { mode: "Iterative", validation };
  });
}

const badAgent = (name: string) => agent(name, [{ type: "Regex", pattern: "(unclosed" }]);
const goodAgent = (name: string) => agent(name, [{ type: "ExitCode" }, { type: "Regex", pattern: "(?m)^ok$", minScore: 0.5 }]);

const create = (m: Manifest, dryRun = false) => kube.create(AGENTS, m as unknown as KubeObject, { dryRun });

async function denial(m: Manifest): Promise<string> {
  const err = await create(m, true).then(() => undefined, (e: unknown) => e);
  if (!isKubeApiError(err)) throw new Error(`admitted ${m.metadata.name}`);
  return err.message;
}

const caBundleOf = async (resource: typeof VALIDATING_WEBHOOKS, name: string) => {
  const config = await kube.get<KubeObject & { webhooks: { clientConfig: { caBundle?: string } }[] }>(resource, undefined, name);
  return [...new Set(config.webhooks.map((w) => Buffer.from(w.clientConfig.caBundle ?? "", "base64").toString()))];
};

const secretData = async () => ((await kube.get<KubeObject>(SECRETS, namespace, SECRET)).data ?? {}) as Record<string, string>;
const decoded = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString();

/** The certificate the server presents to a new connection that trusts only `ca`. */
function handshake(port: number, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca }, () => {
      socket.end();
      resolve();
    });
    socket.on("error", reject);
  });
}

describe("admission webhooks", () => {
  beforeAll(async () => {
    kube = createKubeClient(kubeConfig());
    namespace = await createNamespace("webhooks");
    cedarNamespace = await createNamespace("webhooks-cedar");
    for (const ns of [namespace, cedarNamespace]) {
      await kube.jsonPatch(NAMESPACES, undefined, ns, [{ op: "add", path: "/metadata/labels/test.aegis.dev~1webhooks", value: suffix }]);
    }
    webhooks = await startWebhooks({
      client: kube, namespace, host: "127.0.0.1", port: 0, hosts: ["127.0.0.1"], configurations: NAMES, policies: policyStores(), metrics,
    });
    // Registered without a caBundle: the refresh below injects it, as the operator does at start.
    const configs = renderWebhookConfigurations({
      target: { url: `https://127.0.0.1:${webhooks.port}` }, names: NAMES, namespaceSelector: { matchLabels: SCOPE }, objectSelector: { matchLabels: SCOPE },
    });
    for (const [resource, config] of [[VALIDATING_WEBHOOKS, configs[0]], [MUTATING_WEBHOOKS, configs[1]]] as const) {
      await kube.apply(resource, config as unknown as KubeObject, { fieldManager: "webhooks-test", force: true });
    }
    await webhooks.refresh();
    // The API server picks configurations up asynchronously: wait until ours answer.
    await eventually(async () => expect(await denial(badAgent("probe"))).toMatch(BAD_PATTERN_MESSAGE), { message: "the validating webhook answers" });
  });

  afterAll(async () => {
    await webhooks?.stop();
    await kube.delete(VALIDATING_WEBHOOKS, undefined, NAMES.validating);
    await kube.delete(MUTATING_WEBHOOKS, undefined, NAMES.mutating);
    await deleteNamespace(namespace);
    await deleteNamespace(cedarNamespace);
  });

  it("keeps the certificates in a Secret and injects its CA bundle into both configurations", async () => {
    const data = await secretData();
    expect(decoded(data["ca-bundle.crt"])).toContain("BEGIN CERTIFICATE");
    expect(await caBundleOf(VALIDATING_WEBHOOKS, NAMES.validating)).toEqual([decoded(data["ca-bundle.crt"])]);
    expect(await caBundleOf(MUTATING_WEBHOOKS, NAMES.mutating)).toEqual([decoded(data["ca-bundle.crt"])]);
  });

  it("denies a bad Agent applied with kubectl, naming the field", async () => {
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], { input: stringify(badAgent("bad")) });
    expect(applied.code).not.toBe(0);
    // kubectl prints the causes of an Invalid status rather than its message (which names the webhook).
    expect(applied.stderr).toMatch(/The request is invalid: spec\.execution\.validation\[0\]\.pattern: not a valid RE2 pattern: .*Unterminated group/);
    expect((await kubectl(["get", "agent", "bad"], { namespace })).code).not.toBe(0);
  });

  it("denies it through the client with the field in the causes", async () => {
    const err = await create(badAgent("bad-client")).then(() => undefined, (e: unknown) => e);
    expect(isKubeApiError(err) && err.causes.map((c) => c.field)).toContain("spec.execution.validation[0].pattern");
  });

  it("admits a good Agent and fills the validators' documented thresholds", async () => {
    const created = await create(goodAgent("good")) as KubeObject & { spec: { execution: { validation: Record<string, unknown>[] } } };
    expect(created.spec.execution.validation).toEqual([
      { type: "ExitCode", minScore: 1, minConfidence: 0 },
      { type: "Regex", pattern: "(?m)^ok$", minScore: 0.5, minConfidence: 0 },
    ]);
  });

  it("is sent for defaulting only what it defaults: an Agent lacking thresholds, not one that states them", async () => {
    const before = { mutating: await answered("mutating", "Agent"), validating: await answered("validating", "Agent") };
    await create(agent("complete", [{ type: "ExitCode", minScore: 1, minConfidence: 0 }, { type: "Regex", pattern: "(?m)^ok$", minScore: 0.5, minConfidence: 0 }]));
    // Validated, never sent for defaulting (the API server's matchConditions excluded it).
    expect(await answered("validating", "Agent")).toBe(before.validating + 1);
    expect(await answered("mutating", "Agent")).toBe(before.mutating);
    const defaulted = await create(goodAgent("incomplete")) as KubeObject & { spec: { execution: { validation: Record<string, unknown>[] } } };
    expect(defaulted.spec.execution.validation[0]).toEqual({ type: "ExitCode", minScore: 1, minConfidence: 0 });
    expect(await answered("mutating", "Agent")).toBe(before.mutating + 1);

    // Executions, the writes made most often, have nothing a webhook defaults: validated only.
    const executions = { mutating: await answered("mutating", "Execution"), validating: await answered("validating", "Execution") };
    const run = variant(validExecution(), (m) => {
      m.metadata = { name: "run-once", namespace, labels: SCOPE } as Manifest["metadata"];
    });
    await kube.create(EXECUTIONS, run as unknown as KubeObject);
    expect(await answered("validating", "Execution")).toBe(executions.validating + 1);
    expect(await answered("mutating", "Execution")).toBe(executions.mutating);
  });

  it("denies what the namespace's Cedar policies do not permit, naming the field and the policy", async () => {
    const cedarAgent = (name: string, spec: Record<string, unknown>) => variant(validAgent(), (m) => {
      m.metadata = { name, namespace: cedarNamespace, labels: SCOPE } as Manifest["metadata"];
      Object.assign(m.spec as Record<string, unknown>, { runtime: { image: "ghcr.io/acme/agent-python:3.12" }, ...spec });
    });
    const pypiOnly = { security: { network: { mode: "Deny", allowlist: ["pypi.org"] } } };
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], { input: stringify(cedarAgent("shell", { ...pypiOnly, tools: ["fs.read", "cmd.run"] })) });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("spec.tools[1]: denied by policy team.cedar:no-shell");
    const err = await create(cedarAgent("open-egress", {})).then(() => undefined, (e: unknown) => e);
    expect(isKubeApiError(err) && err.message).toMatch(/denied the request: spec\.security\.network\.mode: no policy permits it/);
    await expect(create(cedarAgent("within", { ...pypiOnly, tools: ["fs.read"] }))).resolves.toBeDefined();
    // The same Agent in a namespace whose policies permit everything.
    await expect(create(variant(cedarAgent("elsewhere", { tools: ["cmd.run"] }), (m) => {
      m.metadata = { name: "elsewhere", namespace, labels: SCOPE } as Manifest["metadata"];
    }))).resolves.toBeDefined();
  });

  it("leaves objects outside its scope alone", async () => {
    const unscoped = variant(badAgent("unscoped"), (m) => {
      m.metadata = { name: "unscoped", namespace } as Manifest["metadata"];
    });
    await expect(create(unscoped, true)).resolves.toBeDefined();
  });

  it("rotates: a new Secret and caBundle, and admission keeps working", async () => {
    const before = await secretData();
    await webhooks!.rotate();
    const after = await secretData();
    expect(after["tls.crt"]).not.toBe(before["tls.crt"]);
    expect(after["ca.crt"]).not.toBe(before["ca.crt"]);
    // The new CA first, the old one kept while API servers may still hold the old bundle.
    expect(decoded(after["ca-bundle.crt"])).toBe(`${decoded(after["ca.crt"]).trimEnd()}\n${decoded(before["ca.crt"]).trimEnd()}\n`);
    expect(await caBundleOf(VALIDATING_WEBHOOKS, NAMES.validating)).toEqual([decoded(after["ca-bundle.crt"])]);
    expect(await caBundleOf(MUTATING_WEBHOOKS, NAMES.mutating)).toEqual([decoded(after["ca-bundle.crt"])]);
    await handshake(webhooks!.port, decoded(after["ca.crt"]));
    await expect(handshake(webhooks!.port, decoded(before["ca.crt"]))).rejects.toThrow();
    await eventually(async () => expect(await denial(badAgent("after-rotation"))).toMatch(BAD_PATTERN_MESSAGE));
    const created = await create(goodAgent("good-after-rotation")) as KubeObject & { spec: { execution: { validation: { minScore?: number }[] } } };
    expect(created.spec.execution.validation[0]?.minScore).toBe(1);
  });

  it("fails closed when the webhook server is down", async () => {
    await webhooks!.stop();
    webhooks = undefined;
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], { input: stringify(goodAgent("while-down")) });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toMatch(/failed calling webhook "agents\.(mutate|validate)\.aegis\.dev"/);
    expect((await kubectl(["get", "agent", "while-down"], { namespace })).code).not.toBe(0);
  });
});
