// The kustomize base renders and the real API server accepts every object in it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../../src/local/paths.ts";
import { createNamespace, deleteNamespace, kubectl } from "../helpers/cluster.ts";

describe("manifests/base", () => {
  it("renders with kustomize and passes server-side dry-run", async () => {
    const rendered = await kubectl(["kustomize", join(repoRoot(), "manifests", "base")]);
    expect(rendered.stderr).toBe("");
    const kinds = parseAllDocuments(rendered.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds.filter((k) => k === "CustomResourceDefinition")).toHaveLength(6);
    expect(kinds).toEqual(expect.arrayContaining(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]));

    // A dry run creates no namespace, so the namespaced objects are checked in one of the test's.
    const namespace = await createNamespace("manifests");
    const input = rendered.stdout.replaceAll("namespace: aegis-system", `namespace: ${namespace}`);
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=aegis-install", "--force-conflicts", "-f", "-"], {
      input,
    });
    await deleteNamespace(namespace);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("clusterrole.rbac.authorization.k8s.io/aegis-operator serverside-applied (server dry run)");
  });

  it("grants no wildcard verbs or resources", async () => {
    const rendered = await kubectl(["kustomize", join(repoRoot(), "manifests", "base")]);
    const rules = parseAllDocuments(rendered.stdout)
      .map((d) => d.toJS() as { kind: string; rules?: { verbs: string[]; resources: string[]; apiGroups: string[] }[] })
      .flatMap((o) => o.rules ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain("*");
    }
  });
});
