/**
 * Environment resolution for one container, as the kubelet does it: image ENV, then `envFrom`
 * (in order, with prefix), then `env` (in order, later names win), each `value` expanded with
 * `$(VAR)` against what is defined before it. Values from Secrets and ConfigMaps come from
 * `sources`, fetched beforehand (see `referencedSources`), so this stays pure.
 */
import { expandVars } from "./expand.ts";
import { resolveFieldPath, type PodRuntimeFacts } from "./downward.ts";
import type { Container, Pod } from "./pod-spec.ts";

/** Secret and ConfigMap data by name; a missing name means the object does not exist. */
export interface EnvSources {
  secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
  configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface SourceRefs {
  secrets: Set<string>;
  configMaps: Set<string>;
}

/** The Secrets and ConfigMaps a container's env refers to. */
export function referencedSources(containers: readonly Container[]): SourceRefs {
  const refs: SourceRefs = { secrets: new Set(), configMaps: new Set() };
  for (const c of containers) {
    for (const from of c.envFrom) {
      if (from.secretRef) refs.secrets.add(from.secretRef.name);
      if (from.configMapRef) refs.configMaps.add(from.configMapRef.name);
    }
    for (const e of c.env) {
      if (e.valueFrom?.secretKeyRef) refs.secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef) refs.configMaps.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  return refs;
}

/**
 * A failure is `permanent` when retrying cannot help (an unsupported feature); otherwise it
 * waits for a missing Secret or ConfigMap, as the kubelet's CreateContainerConfigError does.
 */
export type EnvResult = { ok: true; env: Map<string, string> } | { ok: false; message: string; permanent: boolean };

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function keyValue(
  kind: "secret" | "configmap",
  data: Readonly<Record<string, string>> | undefined,
  ref: { name: string; key: string; optional?: boolean | undefined },
): { value: string | undefined } | { error: string } {
  if (!data) return ref.optional ? { value: undefined } : { error: `${kind} "${ref.name}" not found` };
  const value = data[ref.key];
  if (value === undefined && !ref.optional) return { error: `couldn't find key ${ref.key} in ${kind === "secret" ? "Secret" : "ConfigMap"} ${ref.name}` };
  return { value };
}

/** Resolves the container's environment over `base` (the image ENV). */
export function resolveEnv(
  pod: Pod,
  container: Container,
  facts: PodRuntimeFacts,
  sources: EnvSources,
  base: Readonly<Record<string, string>> = {},
): EnvResult {
  const env = new Map<string, string>(Object.entries(base));
  for (const from of container.envFrom) {
    const prefix = from.prefix ?? "";
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref) continue;
    const data = from.secretRef ? sources.secrets.get(ref.name) : sources.configMaps.get(ref.name);
    if (!data) {
      if (ref.optional) continue;
      return { ok: false, message: `${from.secretRef ? "secret" : "configmap"} "${ref.name}" not found`, permanent: false };
    }
    for (const [key, value] of Object.entries(data)) {
      // The kubelet skips keys that are not valid variable names (and records an event).
      if (ENV_NAME.test(prefix + key)) env.set(prefix + key, value);
    }
  }
  for (const e of container.env) {
    const from = e.valueFrom;
    let value: string | undefined;
    if (from?.secretKeyRef) {
      const r = keyValue("secret", sources.secrets.get(from.secretKeyRef.name), from.secretKeyRef);
      if ("error" in r) return { ok: false, message: r.error, permanent: false };
      value = r.value;
    } else if (from?.configMapKeyRef) {
      const r = keyValue("configmap", sources.configMaps.get(from.configMapKeyRef.name), from.configMapKeyRef);
      if ("error" in r) return { ok: false, message: r.error, permanent: false };
      value = r.value;
    } else if (from?.fieldRef) {
      const r = resolveFieldPath(pod, facts, from.fieldRef.fieldPath);
      if ("error" in r) return { ok: false, message: `env ${e.name}: ${r.error}`, permanent: true };
      value = r.value;
    } else if (from?.resourceFieldRef) {
      return { ok: false, message: `env ${e.name}: resourceFieldRef is not supported by aegis-local`, permanent: true };
    } else {
      value = expandVars(e.value ?? "", (name) => env.get(name));
    }
    if (value !== undefined) env.set(e.name, value);
  }
  return { ok: true, env };
}
