/** Kubeconfig files for the local cluster, with the certificates embedded so they can be copied. */
import { readFile, writeFile } from "node:fs/promises";
import { stringify } from "yaml";

export interface KubeconfigInput {
  readonly server: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly user: string;
  readonly clusterName?: string;
}

const b64 = (text: string): string => Buffer.from(text).toString("base64");

export function renderKubeconfig(input: KubeconfigInput): string {
  const cluster = input.clusterName ?? "aegis-local";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: { server: input.server, "certificate-authority-data": b64(input.caPem) } }],
    users: [{ name: input.user, user: { "client-certificate-data": b64(input.certPem), "client-key-data": b64(input.keyPem) } }],
    contexts: [{ name: cluster, context: { cluster, user: input.user } }],
    "current-context": cluster,
  });
}

export async function writeKubeconfig(
  path: string,
  server: string,
  files: { ca: string; cert: string; key: string },
  user: string,
): Promise<void> {
  const [caPem, certPem, keyPem] = await Promise.all([files.ca, files.cert, files.key].map((f) => readFile(f, "utf8")));
  await writeFile(path, renderKubeconfig({ server, caPem: caPem!, certPem: certPem!, keyPem: keyPem!, user }), { mode: 0o600 });
}
