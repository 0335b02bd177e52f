/**
 * The operator's identity as shipped: the Namespace, ServiceAccount, (Cluster)Roles and bindings
 * of manifests/base rendered with kustomize (nothing else of the install), applied as the install
 * applies them, and a kubeconfig that authenticates as the ServiceAccount (TokenRequest). A
 * variant grants the same RBAC, minus chosen verbs, to another ServiceAccount, so a test can show
 * what happens when a rule is missing.
 */
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { baseDir } from "../../src/local/cluster.ts";
import { writeServiceAccountKubeconfig } from "../../src/local/service-account-kubeconfig.ts";
import { kubeconfigPath, kubectl } from "./cluster.ts";

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

export interface RbacObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  rules?: PolicyRule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

export const OPERATOR_NAMESPACE = "aegis-system";
export const OPERATOR_SERVICE_ACCOUNT = "aegis-operator";

const IDENTITY_KINDS = new Set(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
const isRole = (o: RbacObject): boolean => o.kind === "Role" || o.kind === "ClusterRole";
const isBinding = (o: RbacObject): boolean => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding";

/** The identity objects of manifests/base as kustomize renders them (the install's own command). */
export async function renderShippedRbac(): Promise<RbacObject[]> {
  const rendered = await kubectl(["kustomize", baseDir()]);
  if (rendered.code !== 0) throw new Error(`kubectl kustomize ${baseDir()}: ${rendered.stderr}`);
  return parseAllDocuments(rendered.stdout).map((d) => d.toJS() as RbacObject).filter((o) => IDENTITY_KINDS.has(o.kind));
}

/** The bindings that name the ServiceAccount as a subject. */
export const bindingsOf = (objects: readonly RbacObject[], serviceAccount: string): RbacObject[] =>
  objects.filter((o) => isBinding(o) && (o.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === serviceAccount));

/**
 * Pure: the shipped roles and bindings granted to `serviceAccount` (same namespace) instead, each
 * renamed `<serviceAccount>.<name>`, with `verbs` taken from every rule that names `resource`.
 */
export function withoutVerbs(shipped: readonly RbacObject[], serviceAccount: string, remove: { resource: string; verbs: readonly string[] }): RbacObject[] {
  const renamed = (name: string) => `${serviceAccount}.${name}`;
  const copies: RbacObject[] = [];
  for (const o of shipped) {
    if (o.kind === "ServiceAccount" && o.metadata.name === OPERATOR_SERVICE_ACCOUNT) {
      copies.push({ ...o, metadata: { ...o.metadata, name: serviceAccount } });
    } else if (isRole(o)) {
      const rules = (o.rules ?? [])
        .map((r) => ((r.resources ?? []).includes(remove.resource) ? { ...r, verbs: r.verbs.filter((v) => !remove.verbs.includes(v)) } : r))
        .filter((r) => r.verbs.length > 0);
      copies.push({ ...o, metadata: { ...o.metadata, name: renamed(o.metadata.name) }, rules });
    } else if (bindingsOf([o], OPERATOR_SERVICE_ACCOUNT).length > 0) {
      copies.push({
        ...o,
        metadata: { ...o.metadata, name: renamed(o.metadata.name) },
        roleRef: { ...o.roleRef!, name: renamed(o.roleRef!.name) },
        subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: OPERATOR_NAMESPACE }],
      });
    }
  }
  return copies;
}

const manifest = (objects: readonly RbacObject[]): string => objects.map((o) => stringify(o)).join("---\n");

/** Server-side apply under the install's field manager, as `kubectl apply --server-side -k` does. */
export async function applyRbac(objects: readonly RbacObject[]): Promise<void> {
  const applied = await kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=aegis-install", "-f", "-"], { input: manifest(objects) });
  if (applied.code !== 0) throw new Error(`applying the RBAC: ${applied.stderr}`);
}

/** Deletes the objects (never a Namespace). */
export async function deleteRbac(objects: readonly RbacObject[]): Promise<void> {
  const removable = objects.filter((o) => o.kind !== "Namespace");
  if (removable.length === 0) return;
  await kubectl(["delete", "--ignore-not-found", "--wait=false", "-f", "-"], { input: manifest(removable) });
}

/** A kubeconfig in `dir` for the ServiceAccount of the operator's namespace: its token, the test cluster's server and CA. */
export function serviceAccountKubeconfig(dir: string, serviceAccount = OPERATOR_SERVICE_ACCOUNT): Promise<string> {
  return writeServiceAccountKubeconfig({
    adminKubeconfig: kubeconfigPath(),
    namespace: OPERATOR_NAMESPACE,
    serviceAccount,
    path: join(dir, `${serviceAccount}.kubeconfig`),
  });
}
