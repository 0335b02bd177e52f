/**
 * Volume I/O: fetches the Secrets and ConfigMaps a pod uses, writes its volumes under
 * `<home>/pods/<uid>/volumes/<name>`, requests service-account tokens through the TokenRequest
 * API, and links every mountPath into the pod root (`<home>/pods/<uid>/root`).
 */
import { chmod, lstat, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EnvSources } from "./env.ts";
import { isNotFound, type KubeClients } from "./kube.ts";
import type { Pod } from "./pod-spec.ts";
import { underRoot, type PlannedFile, type PlannedToken, type VolumePlan, type VolumeSources } from "./volumes.ts";

export interface FetchedSources {
  env: EnvSources;
  volumes: VolumeSources;
}

function decodeAll(data: Record<string, string> | undefined, encoding: "base64" | "utf8"): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(data ?? {})) out[key] = Buffer.from(value, encoding);
  return out;
}

function asText(data: Record<string, Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString("utf8")]));
}

/** Reads the named Secrets and ConfigMaps; a missing one is left out (the caller decides). */
export async function fetchSources(
  clients: KubeClients,
  namespace: string,
  names: { secrets: Iterable<string>; configMaps: Iterable<string> },
): Promise<FetchedSources> {
  const secretBytes = new Map<string, Record<string, Buffer>>();
  const configMapBytes = new Map<string, Record<string, Buffer>>();
  for (const name of new Set(names.secrets)) {
    try {
      const s = await clients.core.readNamespacedSecret({ name, namespace });
      secretBytes.set(name, decodeAll(s.data, "base64"));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const name of new Set(names.configMaps)) {
    try {
      const c = await clients.core.readNamespacedConfigMap({ name, namespace });
      configMapBytes.set(name, { ...decodeAll(c.binaryData, "base64"), ...decodeAll(c.data, "utf8") });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const text = (m: Map<string, Record<string, Buffer>>): Map<string, Record<string, string>> =>
    new Map([...m].map(([k, v]) => [k, asText(v)]));
  return {
    env: { secrets: text(secretBytes), configMaps: text(configMapBytes) },
    volumes: { secrets: secretBytes, configMaps: configMapBytes },
  };
}

async function writeFileWithMode(dir: string, file: PlannedFile): Promise<void> {
  const target = underRoot(dir, file.path);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.content);
  await chmod(target, file.mode & 0o777);
}

/** Requests a token for the pod's service account, bound to the pod. */
export async function requestToken(clients: KubeClients, pod: Pod, token: PlannedToken): Promise<{ token: string; expiresAt: Date }> {
  const result = await clients.core.createNamespacedServiceAccountToken({
    name: pod.spec.serviceAccountName ?? "default",
    namespace: pod.metadata.namespace,
    body: {
      spec: {
        audiences: token.audience ? [token.audience] : [],
        expirationSeconds: token.expirationSeconds,
        boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid },
      },
    },
  });
  const value = result.status?.token;
  if (!value) throw new Error(`the TokenRequest for service account ${pod.spec.serviceAccountName ?? "default"} returned no token`);
  const expiresAt = result.status?.expirationTimestamp ? new Date(result.status.expirationTimestamp) : new Date(Date.now() + token.expirationSeconds * 1000);
  return { token: value, expiresAt };
}

export interface MaterializedVolume {
  name: string;
  dir: string;
  tokens: PlannedToken[];
}

/** Writes one planned volume; returns where it lives. */
export async function materializeVolume(podDir: string, name: string, plan: VolumePlan): Promise<MaterializedVolume> {
  if (plan.kind === "hostPath") {
    await mkdir(plan.path, { recursive: true }).catch(() => undefined);
    return { name, dir: plan.path, tokens: [] };
  }
  const dir = path.join(podDir, "volumes", name);
  await mkdir(dir, { recursive: true });
  for (const file of plan.files) await writeFileWithMode(dir, file);
  return { name, dir, tokens: plan.tokens };
}

/** (Re)writes the service-account tokens of a volume; returns the earliest expiry. */
export async function writeTokens(clients: KubeClients, pod: Pod, volume: MaterializedVolume): Promise<Date | undefined> {
  let earliest: Date | undefined;
  for (const t of volume.tokens) {
    const { token, expiresAt } = await requestToken(clients, pod, t);
    await writeFileWithMode(volume.dir, { path: t.path, content: Buffer.from(token), mode: t.mode });
    if (!earliest || expiresAt < earliest) earliest = expiresAt;
  }
  return earliest;
}

/**
 * Makes `root/<mountPath>` a symlink to `source`. Whatever already exists there is kept (the
 * first link for a path wins; nothing is ever deleted, since a parent may be a hostPath link).
 */
export async function linkMount(root: string, mountPath: string, source: string): Promise<void> {
  const link = underRoot(root, mountPath);
  if (link === root) return;
  await mkdir(path.dirname(link), { recursive: true });
  const existing = await lstat(link).catch(() => undefined);
  if (!existing) await symlink(source, link);
}
