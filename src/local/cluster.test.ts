// What the local cluster leaves out of manifests/base: the webhook configurations (the operator
// registers url-based ones) and the operator's Deployment and PodDisruptionBudget (it runs as a
// host process, never as a pod on the local node).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse } from "yaml";
import { baseDir, withoutOperatorWorkload, withoutWebhookConfigurations } from "./cluster.ts";

/** The objects of manifests/base's own files (the CRDs aside), as kustomize would list them. */
function baseManifests(): string {
  const { resources } = parse(readFileSync(join(baseDir(), "kustomization.yaml"), "utf8")) as { resources: string[] };
  const files = resources.filter((r) => r.endsWith(".yaml"));
  expect(files.sort()).toEqual(readdirSync(baseDir()).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort());
  return files.map((f) => readFileSync(join(baseDir(), f), "utf8")).join("\n---\n");
}

const kindsOf = (rendered: string): string[] =>
  parseAllDocuments(rendered).map((d) => (d.toJS() as { kind?: string } | null)?.kind ?? "").filter(Boolean);

describe("local installs of manifests/base", () => {
  it("leave out the webhook configurations, the operator Deployment and its PodDisruptionBudget, and nothing else", () => {
    const all = baseManifests();
    const before = kindsOf(all);
    expect(before).toEqual(expect.arrayContaining(["Deployment", "PodDisruptionBudget", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]));
    const local = kindsOf(withoutOperatorWorkload(withoutWebhookConfigurations(all)));
    const dropped = new Set(["Deployment", "PodDisruptionBudget", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]);
    expect(local).toEqual(before.filter((k) => !dropped.has(k)));
    expect(local).toEqual(expect.arrayContaining(["Namespace", "ServiceAccount", "Service", "NetworkPolicy", "ClusterRole", "ConfigMap"]));
  });

  it("each filter drops only its own kinds", () => {
    const all = baseManifests();
    expect(kindsOf(withoutOperatorWorkload(all))).toEqual(kindsOf(all).filter((k) => k !== "Deployment" && k !== "PodDisruptionBudget"));
    expect(kindsOf(withoutWebhookConfigurations(all))).toEqual(kindsOf(all).filter((k) => !k.endsWith("WebhookConfiguration")));
  });
});
