/**
 * The admission lookups (runtime registry, parent Executions, Swarms) read from informer caches:
 * the same ConfigMap cache the Agent controller resolves images from, so admission and the
 * controller agree on what language+version means. No API call per admission request.
 */
import type { RegistryRef } from "../controllers/agent/registry.ts";
import type { KubeObject } from "../src/kube/types.ts";
import type { Informer } from "../src/runtime/types.ts";
import type { AdmissionLookup } from "./kinds/kind.ts";

type Cache = Pick<Informer<KubeObject>, "get" | "list">;

export interface LookupCaches {
  readonly configMaps: Cache;
  readonly executions: Cache;
  readonly swarms: Cache;
  /** The runtime registry ConfigMap (the operator's --runtime-registry, default aegis-system/aegis-runtime-registry). */
  readonly registry: RegistryRef;
}

const swarmRefOf = (execution: KubeObject): unknown => (execution.spec as { swarmRef?: unknown } | undefined)?.swarmRef;

export function cacheLookup(caches: LookupCaches): AdmissionLookup {
  return {
    runtimeRegistry: () => {
      const cm = caches.configMaps.get(`${caches.registry.namespace}/${caches.registry.name}`);
      return { ref: caches.registry, data: cm === undefined ? undefined : (cm.data ?? {}) as Record<string, string> };
    },
    execution: (namespace, name) => caches.executions.get(`${namespace}/${name}`),
    swarm: (namespace, name) => caches.swarms.get(`${namespace}/${name}`),
    swarmMembers: (namespace, swarm) => caches.executions.list(namespace).filter((e) => swarmRefOf(e) === swarm).length,
  };
}
