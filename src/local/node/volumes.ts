/**
 * Volume planning (pure): what each pod volume becomes on the local disk. `emptyDir`,
 * `secret`, `configMap`, `downwardAPI` and `projected` volumes become a directory under
 * `<home>/pods/<uid>/volumes/<name>` holding the planned files; `hostPath` is used directly.
 * Service-account tokens are planned as requests, fetched by the I/O layer (volume-setup.ts).
 */
import path from "node:path";
import { resolveFieldPath, type PodRuntimeFacts } from "./downward.ts";
import type { DownwardFile, KeyToPath, Pod, Volume } from "./pod-spec.ts";

export interface PlannedFile {
  path: string;
  content: Buffer;
  mode: number;
}

export interface PlannedToken {
  path: string;
  audience: string | undefined;
  expirationSeconds: number;
  mode: number;
}

export type VolumePlan =
  | { kind: "hostPath"; path: string }
  | { kind: "dir"; files: PlannedFile[]; tokens: PlannedToken[] };

export type PlanResult = { ok: true; plan: VolumePlan } | { ok: false; message: string; permanent: boolean };

/** Secret and ConfigMap contents by name, as bytes; a missing name: the object does not exist. */
export interface VolumeSources {
  secrets: ReadonlyMap<string, Readonly<Record<string, Buffer>>>;
  configMaps: ReadonlyMap<string, Readonly<Record<string, Buffer>>>;
}

const DEFAULT_MODE = 0o644;

class PlanError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.permanent = permanent;
  }
}

/** A relative path that stays inside the volume (the API server checks this too). */
export function safeRelativePath(p: string): string {
  const normalized = path.posix.normalize(p);
  if (p === "" || path.posix.isAbsolute(p) || normalized === ".." || normalized.startsWith("../")) {
    throw new PlanError(`path ${JSON.stringify(p)} must be relative and stay inside the volume`, true);
  }
  return normalized;
}

function keyFiles(
  kind: string,
  name: string,
  data: Readonly<Record<string, Buffer>> | undefined,
  items: readonly KeyToPath[] | undefined,
  optional: boolean | undefined,
  mode: number,
): PlannedFile[] {
  if (!data) {
    if (optional) return [];
    throw new PlanError(`${kind} "${name}" not found`, false);
  }
  const chosen = items && items.length > 0 ? items : Object.keys(data).sort().map((key) => ({ key, path: key, mode: undefined }));
  const files: PlannedFile[] = [];
  for (const item of chosen) {
    const content = data[item.key];
    if (content === undefined) {
      if (optional) continue;
      throw new PlanError(`key ${JSON.stringify(item.key)} not found in ${kind} "${name}"`, false);
    }
    files.push({ path: safeRelativePath(item.path), content, mode: item.mode ?? mode });
  }
  return files;
}

function downwardFiles(pod: Pod, facts: PodRuntimeFacts, items: readonly DownwardFile[], mode: number): PlannedFile[] {
  return items.map((item) => {
    if (!item.fieldRef) throw new PlanError(`downwardAPI item ${item.path}: only fieldRef is supported`, true);
    const r = resolveFieldPath(pod, facts, item.fieldRef.fieldPath);
    if ("error" in r) throw new PlanError(`downwardAPI item ${item.path}: ${r.error}`, true);
    return { path: safeRelativePath(item.path), content: Buffer.from(r.value), mode: item.mode ?? mode };
  });
}

function planUnsafe(pod: Pod, facts: PodRuntimeFacts, volume: Volume, sources: VolumeSources): VolumePlan {
  if (volume.hostPath) return { kind: "hostPath", path: path.resolve(volume.hostPath.path) };
  if (volume.emptyDir) return { kind: "dir", files: [], tokens: [] };
  if (volume.secret) {
    const s = volume.secret;
    const files = keyFiles("secret", s.secretName, sources.secrets.get(s.secretName), s.items, s.optional, s.defaultMode ?? DEFAULT_MODE);
    return { kind: "dir", files, tokens: [] };
  }
  if (volume.configMap) {
    const c = volume.configMap;
    const files = keyFiles("configmap", c.name, sources.configMaps.get(c.name), c.items, c.optional, c.defaultMode ?? DEFAULT_MODE);
    return { kind: "dir", files, tokens: [] };
  }
  if (volume.downwardAPI) {
    const files = downwardFiles(pod, facts, volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? DEFAULT_MODE);
    return { kind: "dir", files, tokens: [] };
  }
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? DEFAULT_MODE;
    const files: PlannedFile[] = [];
    const tokens: PlannedToken[] = [];
    for (const source of volume.projected.sources) {
      if (source.secret) {
        const s = source.secret;
        files.push(...keyFiles("secret", s.name, sources.secrets.get(s.name), s.items, s.optional, mode));
      } else if (source.configMap) {
        const c = source.configMap;
        files.push(...keyFiles("configmap", c.name, sources.configMaps.get(c.name), c.items, c.optional, mode));
      } else if (source.downwardAPI) {
        files.push(...downwardFiles(pod, facts, source.downwardAPI.items, mode));
      } else if (source.serviceAccountToken) {
        const t = source.serviceAccountToken;
        tokens.push({ path: safeRelativePath(t.path), audience: t.audience, expirationSeconds: t.expirationSeconds ?? 3600, mode });
      } else {
        throw new PlanError(`projected volume ${volume.name}: a source type is not supported by aegis-local`, true);
      }
    }
    return { kind: "dir", files, tokens };
  }
  const kinds = Object.keys(volume).filter((k) => k !== "name");
  throw new PlanError(`volume ${volume.name}: type ${kinds.join(", ") || "(none)"} is not supported by aegis-local`, true);
}

/** Plans one volume. Never throws: missing sources are retryable, unsupported types permanent. */
export function planVolume(pod: Pod, facts: PodRuntimeFacts, volume: Volume, sources: VolumeSources): PlanResult {
  try {
    return { ok: true, plan: planUnsafe(pod, facts, volume, sources) };
  } catch (err) {
    if (err instanceof PlanError) return { ok: false, message: err.message, permanent: err.permanent };
    throw err;
  }
}

/** The Secrets and ConfigMaps the pod's volumes refer to. */
export function volumeSourceNames(volumes: readonly Volume[]): { secrets: Set<string>; configMaps: Set<string> } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const v of volumes) {
    if (v.secret) secrets.add(v.secret.secretName);
    if (v.configMap) configMaps.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) {
      if (s.secret) secrets.add(s.secret.name);
      if (s.configMap) configMaps.add(s.configMap.name);
    }
  }
  return { secrets, configMaps };
}

/** The env var that tells a process where a mount is: AEGIS_MOUNT_<VOLUME NAME, upper snake>. */
export function mountEnvName(volumeName: string): string {
  return `AEGIS_MOUNT_${volumeName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Where a container path lands under the pod root (`<home>/pods/<uid>/root`). The result
 * always stays inside the root, whatever `..` the path holds.
 */
export function underRoot(root: string, containerPath: string): string {
  const normalized = path.posix.normalize(path.posix.join("/", containerPath)).replace(/\/+$/, "");
  return normalized === "" ? root : path.join(root, normalized);
}
