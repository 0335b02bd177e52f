// Policies from labelled ConfigMaps through the real API server: the shipped default set (in
// aegis-system, installed by the global setup) applies to every namespace; a namespace's own
// labelled ConfigMap, created and changed, changes the decision without a restart; an invalid
// change keeps the last good set.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient } from "../../src/kube/client.ts";
import { CONFIGMAPS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createConfigMapPolicies, GIT_COMMIT_ANNOTATION, POLICY_LABEL, type NamespacePolicies } from "../../src/policy/configmaps.ts";
import { toolCallRequest } from "../../src/policy/tool-request.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";

let kube: KubeClient;
let namespace: string;
let policies: NamespacePolicies;
const stop = new AbortController();
const errors: string[] = [];

const decide = (tool: string, args: Record<string, unknown>) => {
  const built = toolCallRequest({ namespace, execution: "run-1", agent: "coder", iteration: 1, tool, arguments: args });
  if (!built.ok) throw new Error(built.error);
  return policies.forNamespace(namespace).authorize(built.request, { validate: false });
};

const configMap = (text: string, commit?: string): KubeObject => ({
  apiVersion: "v1", kind: "ConfigMap",
  metadata: { name: "team-policies", namespace, labels: { [POLICY_LABEL]: "true" }, ...(commit ? { annotations: { [GIT_COMMIT_ANNOTATION]: commit } } : {}) },
  data: { "tools.cedar": text },
} as KubeObject);

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("policy-cm");
  const informers = createInformerFactory(kube);
  const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
  policies = createConfigMapPolicies({ configMaps: informers.informer(CONFIGMAPS), operatorNamespace: "aegis-system", log });
  await informers.start(stop.signal);
});

afterAll(async () => {
  stop.abort();
  policies?.stop();
  if (namespace) await deleteNamespace(namespace);
});

describe("policies from labelled ConfigMaps", () => {
  it("applies the default set, then the namespace's own ConfigMap as it is created and changed, keeping the last good set when invalid", { timeout: 60_000 }, async () => {
    // The default policies of manifests/base.
    expect(decide("fs.write", { path: "notes.txt" })).toMatchObject({ decision: "allow", reasons: ["aegis-system/aegis-default-policies/tools.cedar:fs-in-workspace"] });
    expect(decide("fs.read", { path: "../../etc/passwd" }).decision).toBe("deny");
    expect(decide("cmd.run", { command: "rm", args: ["-rf", "x"] }).decision).toBe("allow");

    // Created: commands are now an allowlist (rm is forbidden unless allowlisted).
    const forbid = '@id("cmd-allowlist")\nforbid (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run")\nunless { context has command && context.command in [Command::"python", Command::"cat"] };';
    await kube.create(CONFIGMAPS, configMap(forbid, "1111111"));
    await eventually(() => expect(decide("cmd.run", { command: "rm" })).toMatchObject({
      decision: "deny", reasons: [`${namespace}/team-policies/tools.cedar:cmd-allowlist`], commit: "1111111",
    }));
    expect(decide("cmd.run", { command: "cat", args: ["notes.txt"] }).decision).toBe("allow");
    const good = policies.forNamespace(namespace).current()?.policySet.revision;

    // Changed: python is out too.
    const current = await kube.get<KubeObject>(CONFIGMAPS, namespace, "team-policies");
    await kube.update(CONFIGMAPS, { ...configMap(forbid.replace('Command::"python", ', ""), "2222222"), metadata: { ...current.metadata, annotations: { [GIT_COMMIT_ANNOTATION]: "2222222" } } });
    await eventually(() => expect(decide("cmd.run", { command: "python" })).toMatchObject({ decision: "deny", commit: "2222222" }));
    const second = policies.forNamespace(namespace).current()?.policySet.revision;
    expect(second).not.toBe(good);

    // Invalid: refused with Cedar's message; the last good set stays in force.
    const latest = await kube.get<KubeObject>(CONFIGMAPS, namespace, "team-policies");
    await kube.update(CONFIGMAPS, { ...latest, data: { "tools.cedar": 'permit (principal, action == Action::"tool:invoke", resource) when { context.pathh == "x" };' } } as KubeObject);
    await eventually(() => expect(errors.join("\n")).toContain("pathh"));
    expect(policies.forNamespace(namespace).current()?.policySet.revision).toBe(second);
    expect(decide("cmd.run", { command: "python" }).decision).toBe("deny");
    expect(decide("cmd.run", { command: "cat" }).decision).toBe("allow");

    // Deleted: only the cluster-wide defaults remain.
    await kube.delete(CONFIGMAPS, namespace, "team-policies");
    await eventually(() => expect(decide("cmd.run", { command: "python" }).decision).toBe("allow"));
  });
});
