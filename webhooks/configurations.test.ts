import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../src/local/paths.ts";
import { withoutWebhookConfigurations } from "../src/local/cluster.ts";
import { POLICY_CONFIGMAP_WEBHOOK, renderWebhookConfigurations } from "./configurations.ts";

const manifest = readFileSync(join(repoRoot(), "manifests", "base", "webhooks.yaml"), "utf8");

describe("renderWebhookConfigurations", () => {
  it("is what manifests/base/webhooks.yaml installs", () => {
    const installed = parseAllDocuments(manifest).map((d) => d.toJS() as { kind: string })
      .filter((o) => o.kind.endsWith("WebhookConfiguration"));
    expect(installed).toEqual(JSON.parse(JSON.stringify(renderWebhookConfigurations())));
  });

  it("covers the six kinds (and, validating, policy ConfigMaps) fail-closed within 5 s, outside kube-system", () => {
    const kinds = ["agents", "executions", "workflows", "swarms", "volumes", "nodeconfigs"];
    const [validating, mutating] = renderWebhookConfigurations();
    expect(validating.webhooks.map((w) => w.rules[0]?.resources[0])).toEqual([...kinds, "configmaps"]);
    expect(mutating.webhooks.map((w) => w.rules[0]?.resources[0])).toEqual(kinds);
    for (const config of renderWebhookConfigurations()) {
      for (const w of config.webhooks) {
        expect(w).toMatchObject({ failurePolicy: "Fail", timeoutSeconds: 5, sideEffects: "None", admissionReviewVersions: ["v1"] });
        expect(JSON.stringify(w.namespaceSelector)).toContain("kube-system");
      }
    }
  });

  it("asks for defaulting only when there is something to default: Agents lacking validator thresholds, no other kind", () => {
    const [validating, mutating] = renderWebhookConfigurations();
    const conditions = Object.fromEntries(mutating.webhooks.map((w) => [w.rules[0]?.resources[0], w.matchConditions?.map((c) => c.expression)]));
    expect(conditions.agents?.[0]).toMatch(/object\.spec\.execution\.validation\.exists\(v, !has\(v\.minScore\) \|\| !has\(v\.minConfidence\)\)/);
    expect(conditions.agents?.[0]).toContain("object.spec.execution.toolValidation");
    for (const kind of ["executions", "workflows", "swarms", "volumes", "nodeconfigs"]) expect(conditions[kind]).toEqual(["false"]);
    // Validation always runs.
    expect(validating.webhooks.every((w) => !("matchConditions" in w))).toBe(true);
  });

  it("sends only ConfigMaps labelled as policies, within the caller's selector", () => {
    const policyWebhook = (options = {}) => renderWebhookConfigurations(options)[0].webhooks.find((w) => w.name === POLICY_CONFIGMAP_WEBHOOK);
    expect(policyWebhook()).toMatchObject({
      clientConfig: { service: { path: "/validate/policy-configmap" } },
      rules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["configmaps"], operations: ["CREATE", "UPDATE"] }],
      objectSelector: { matchLabels: { "aegis.dev/policy": "true" } },
    });
    const scoped = policyWebhook({ objectSelector: { matchLabels: { a: "b" }, matchExpressions: [{ key: "c", operator: "Exists" }] } });
    expect(scoped?.objectSelector).toEqual({ matchLabels: { a: "b", "aegis.dev/policy": "true" }, matchExpressions: [{ key: "c", operator: "Exists" }] });
  });

  it("points at a URL base with the CA bundle and selectors the caller gives", () => {
    const [validating] = renderWebhookConfigurations({
      target: { url: "https://127.0.0.1:8443/" }, caBundle: "PEM", objectSelector: { matchLabels: { a: "b" } },
    });
    expect(validating.webhooks[0]?.clientConfig).toEqual({ url: "https://127.0.0.1:8443/validate/agent", caBundle: Buffer.from("PEM").toString("base64") });
    expect(validating.webhooks[0]?.objectSelector).toEqual({ matchLabels: { a: "b" } });
  });

  it("is left out of local installs, whose operator the Service cannot reach", () => {
    const kept = parseAllDocuments(withoutWebhookConfigurations(manifest)).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kept).toContain("Service");
    expect(kept.filter((k) => k.endsWith("WebhookConfiguration"))).toEqual([]);
  });
});
