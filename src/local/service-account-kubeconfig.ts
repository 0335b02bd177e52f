/**
 * A kubeconfig that authenticates as a ServiceAccount, so a process on the host (the local
 * operator, tests) talks to the API server with exactly the permissions the ServiceAccount's RBAC
 * grants, as a pod of it would. The token comes from the TokenRequest API (bound, expiring);
 * server and CA are the admin kubeconfig's. The file is written 0600 and the token never logged.
 */
import { readFile, writeFile } from "node:fs/promises";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface ServiceAccountKubeconfigInput {
  /** A kubeconfig allowed to request tokens for the ServiceAccount (the admin one locally). */
  readonly adminKubeconfig: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Where to write the kubeconfig. */
  readonly path: string;
  /** The token's lifetime; default one hour. */
  readonly expirationSeconds?: number;
}

/** The user name the API server gives the ServiceAccount. */
export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

async function caData(cluster: { caData?: string; caFile?: string }): Promise<string> {
  if (cluster.caData) return cluster.caData;
  if (cluster.caFile) return Buffer.from(await readFile(cluster.caFile, "utf8")).toString("base64");
  throw new Error("the admin kubeconfig names no certificate authority for its cluster");
}

/** Requests a token for the ServiceAccount and writes the kubeconfig at `path`; returns `path`. */
export async function writeServiceAccountKubeconfig(input: ServiceAccountKubeconfigInput): Promise<string> {
  const admin = new KubeConfig();
  admin.loadFromFile(input.adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${input.adminKubeconfig} has no current cluster`);
  const request = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: input.serviceAccount,
    namespace: input.namespace,
    body: { spec: { audiences: [], expirationSeconds: input.expirationSeconds ?? 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`the TokenRequest for ${input.namespace}/${input.serviceAccount} returned no token`);
  const user = serviceAccountUser(input.namespace, input.serviceAccount);
  const context = `${input.serviceAccount}@${cluster.name}`;
  await writeFile(input.path, stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster.name, cluster: { server: cluster.server, "certificate-authority-data": await caData(cluster) } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: cluster.name, user, namespace: input.namespace } }],
    "current-context": context,
  }), { mode: 0o600 });
  return input.path;
}
