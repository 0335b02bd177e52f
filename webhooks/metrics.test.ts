// The admission latency histogram: its labels from real answers, and the HTTPS server observing
// every answered call (allowed, denied, malformed) on the registry it was given.
import { request } from "node:https";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit } from "./admission.ts";
import { issueCertificates } from "./certs/issue.ts";
import { admissionLabels, createWebhookMetrics } from "./metrics.ts";
import { POLICY_CONFIGMAP_PATH } from "./policy-configmap.ts";
import { listenWebhooks, type WebhookServer } from "./server.ts";

const review = (kind: string, operation: string, object: unknown) => ({
  apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview",
  request: { uid: "u", kind: { group: "aegis.dev", version: "v1alpha1", kind }, operation, namespace: "team-a", name: "x", object },
});
const badAgent = review("Agent", "CREATE", { spec: { runtime: {}, task: { instruction: "x" } } });
const execution = review("Execution", "DELETE", { spec: { agentRef: { name: "a" } } });

describe("admissionLabels", () => {
  it("labels a denial, an allowed call, a mutation and a malformed review", () => {
    expect(admissionLabels({ mode: "validate", kind: "Agent" }, badAgent, admit("validate", "Agent", badAgent)))
      .toEqual({ webhook: "validating", kind: "Agent", operation: "CREATE", allowed: "false" });
    expect(admissionLabels({ mode: "validate", kind: "Execution" }, execution, admit("validate", "Execution", execution)))
      .toEqual({ webhook: "validating", kind: "Execution", operation: "DELETE", allowed: "true" });
    expect(admissionLabels({ mode: "mutate", kind: "Agent" }, badAgent, admit("mutate", "Agent", badAgent)))
      .toEqual({ webhook: "mutating", kind: "Agent", operation: "CREATE", allowed: "true" });
    const odd = { request: { operation: "PATCH-EVERYTHING" } };
    expect(admissionLabels({ mode: "validate", kind: "Agent" }, odd, admit("validate", "Agent", odd)))
      .toEqual({ webhook: "validating", kind: "Agent", operation: "unknown", allowed: "error" });
  });
});

describe("the webhook server's admission histogram", () => {
  const registry = new Registry();
  let server: WebhookServer;
  let ca: string;

  const call = (path: string, body: unknown): Promise<number> => new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method: "POST", ca, agent: false, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });

  const count = async (labels: string): Promise<number | undefined> => {
    const series = `aegis_webhook_admission_duration_seconds_count{${labels}}`;
    const line = (await registry.metrics()).split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    const issued = await issueCertificates({ hosts: ["127.0.0.1"], now: new Date(), validityMs: 3_600_000 });
    ca = issued.caCert;
    server = await listenWebhooks({ host: "127.0.0.1", port: 0, cert: issued.tlsCert, key: issued.tlsKey, metrics: createWebhookMetrics(registry) });
  });
  afterAll(() => server.close());

  it("observes every answered call with its kind, operation and verdict", async () => {
    expect(await call("/validate/agent", badAgent)).toBe(200);
    expect(await call("/validate/agent", badAgent)).toBe(200);
    expect(await call("/mutate/agent", badAgent)).toBe(200);
    expect(await call("/validate/execution", execution)).toBe(200);
    expect(await call("/validate/agent", {})).toBe(400);
    expect(await call(POLICY_CONFIGMAP_PATH, review("ConfigMap", "CREATE", {}))).toBe(200);
    expect(await count('webhook="validating",kind="Agent",operation="CREATE",allowed="false"')).toBe(2);
    expect(await count('webhook="mutating",kind="Agent",operation="CREATE",allowed="true"')).toBe(1);
    expect(await count('webhook="validating",kind="Execution",operation="DELETE",allowed="true"')).toBe(1);
    expect(await count('webhook="validating",kind="Agent",operation="unknown",allowed="error"')).toBe(1);
    const configMaps = (await registry.metrics()).split("\n").filter((l) => l.startsWith("aegis_webhook_admission_duration_seconds_count{") && l.includes('kind="ConfigMap"'));
    expect(configMaps).toHaveLength(1);
  });
});
