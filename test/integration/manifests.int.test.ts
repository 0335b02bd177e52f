// Every kustomization in manifests/ renders and the real API server accepts every object in it
// (server-side dry run); the operator's pod passes the restricted Pod Security Standard; the RBAC
// names every verb and resource.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { repoRoot } from "../../src/local/paths.ts";
import { createNamespace, deleteNamespace, kubectl } from "../helpers/cluster.ts";

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  rules?: { verbs: string[]; resources: string[]; apiGroups: string[] }[];
}

/** The kustomizations that install the operator (each is a complete install). */
const INSTALLS = ["base", "overlays/dev", "overlays/production"];

async function render(dir: string): Promise<{ text: string; objects: Obj[] }> {
  const rendered = await kubectl(["kustomize", join(repoRoot(), "manifests", dir)]);
  expect(rendered.stderr).toBe("");
  expect(rendered.code).toBe(0);
  return { text: rendered.stdout, objects: parseAllDocuments(rendered.stdout).map((d) => d.toJS() as Obj) };
}

interface Container {
  image: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  ports: { name: string; containerPort: number }[];
  securityContext: Record<string, unknown>;
  readinessProbe: { httpGet: unknown };
  livenessProbe: { httpGet: unknown };
  resources: { requests?: Record<string, string> };
}

interface Deployment {
  metadata: { name: string; namespace?: string };
  spec: {
    replicas: number;
    template: { spec: { securityContext: Record<string, unknown>; affinity?: { podAntiAffinity?: unknown }; containers: Container[] } };
  };
}

const deploymentOf = (objects: Obj[]): Deployment =>
  objects.find((o) => o.kind === "Deployment" && o.metadata.name === "aegis-operator") as unknown as Deployment;

describe("manifests", () => {
  // A dry run creates no namespace, so the namespaced objects are checked in one of the test's,
  // which warns (kubectl prints it on stderr) about pods that the restricted standard would refuse.
  let namespace: string;
  beforeAll(async () => {
    namespace = await createNamespace("manifests");
    const labelled = await kubectl(["label", "namespace", namespace, "pod-security.kubernetes.io/warn=restricted", "pod-security.kubernetes.io/warn-version=latest"]);
    expect(labelled.code).toBe(0);
  });
  afterAll(async () => {
    await deleteNamespace(namespace);
  });

  it.each(INSTALLS)("%s renders with kustomize and passes server-side dry-run", async (dir) => {
    const { text, objects } = await render(dir);
    const kinds = objects.map((o) => o.kind);
    expect(kinds.filter((k) => k === "CustomResourceDefinition")).toHaveLength(6);
    expect(kinds).toEqual(expect.arrayContaining([
      "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "PodDisruptionBudget",
      "NetworkPolicy", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    ]));
    const services = objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name);
    expect(services.sort()).toEqual(["aegis-gateway", "aegis-operator-metrics", "aegis-webhooks"]);

    const input = text.replaceAll("namespace: aegis-system", `namespace: ${namespace}`);
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=aegis-install", "--force-conflicts", "-f", "-"], {
      input,
    });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("clusterrole.rbac.authorization.k8s.io/aegis-operator serverside-applied (server dry run)");
    expect(applied.stdout).toContain("deployment.apps/aegis-operator serverside-applied (server dry run)");
  });

  it("the base Deployment runs 2 leader-electing replicas, restricted, probed on 8081, with the Secret's DATABASE_URL", async () => {
    const deployment = deploymentOf((await render("base")).objects);
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    expect(container!.args).toEqual(expect.arrayContaining([
      "--leader-elect=true", "--webhook-addr=:9443", "--gateway-addr=:8082", "--metrics-addr=:8080", "--health-addr=:8081",
      "--gateway-url=http://aegis-gateway.aegis-system.svc:8082",
    ]));
    expect(container!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container!.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "health" });
    expect(container!.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(Object.fromEntries(container!.ports.map((p) => [p.name, p.containerPort])))
      .toEqual({ metrics: 8080, health: 8081, gateway: 8082, webhooks: 9443 });
    const env = Object.fromEntries(container!.env.map((e) => [e.name, e.valueFrom]));
    expect(env.DATABASE_URL).toEqual({ secretKeyRef: { name: "aegis-postgres", key: "url" } });
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: "metadata.name" } });
    expect(env.POD_NAMESPACE).toEqual({ fieldRef: { fieldPath: "metadata.namespace" } });

    // The namespace's warning is what the dry runs above rely on: a pod that is not restricted is reported.
    const loose = structuredClone(deployment) as Deployment & { metadata: { namespace: string } };
    loose.metadata.namespace = namespace;
    delete loose.spec.template.spec.containers[0]!.securityContext.allowPrivilegeEscalation;
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=aegis-install", "-f", "-"], { input: stringify(loose) });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain("would violate PodSecurity");
  });

  it("the gateway Service selects only the Pod the leader labels; the metrics Service every replica", async () => {
    const { objects } = await render("base");
    const selector = (name: string) => objects.find((o) => o.kind === "Service" && o.metadata.name === name)?.spec?.selector;
    expect(selector("aegis-gateway")).toEqual({ "app.kubernetes.io/name": "aegis-operator", "aegis.dev/gateway": "serving" });
    expect(selector("aegis-operator-metrics")).toEqual({ "app.kubernetes.io/name": "aegis-operator" });
  });

  it("the overlays: dev runs 1 replica with debug logs, production 3 spread replicas with resources", async () => {
    const dev = deploymentOf((await render("overlays/dev")).objects);
    expect(dev.spec.replicas).toBe(1);
    expect(dev.spec.template.spec.containers[0]!.env).toContainEqual({ name: "AEGIS_LOG_LEVEL", value: "debug" });
    expect(dev.spec.template.spec.containers[0]!.image).toBe("aegis-operator:dev");
    const { objects } = await render("overlays/production");
    const production = deploymentOf(objects);
    expect(production.spec.replicas).toBe(3);
    expect(production.spec.template.spec.affinity?.podAntiAffinity).toBeDefined();
    expect(production.spec.template.spec.containers[0]!.resources.requests).toEqual({ cpu: "500m", memory: "512Mi" });
    expect(objects.find((o) => o.kind === "PodDisruptionBudget")!.spec).toMatchObject({ minAvailable: 2 });
  });

  it("agent-namespace renders and passes server-side dry-run in an agent namespace", async () => {
    const { text, objects } = await render("agent-namespace");
    expect(objects.map((o) => o.kind)).toEqual(["NetworkPolicy"]);
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=aegis-install", "-n", namespace, "-f", "-"], { input: text });
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("networkpolicy.networking.k8s.io/aegis-iteration-egress serverside-applied (server dry run)");
  });

  it.each([...INSTALLS, "agent-namespace"])("%s grants no wildcard verbs, resources or API groups", async (dir) => {
    const { objects } = await render(dir);
    const rules = objects.flatMap((o) => o.rules ?? []);
    if (dir !== "agent-namespace") expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain("*");
    }
  });
});
