/**
 * Read-only gathering for one Agent from the informer caches: the runtime registry ConfigMap,
 * the NodeConfigs (model aliases, MCP servers, tags) and the Volumes its volumeRefs name.
 */
import type { Agent } from "../../src/api/index.ts";
import { AGENTS, CONFIGMAPS, NODECONFIGS, VOLUMES } from "../../src/kube/resources.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ControllerDeps, Informer } from "../../src/runtime/types.ts";
import type { RegistryRef } from "./registry.ts";
import { readNodeConfigs, type AgentReading } from "./spec.ts";
import type { Observed } from "./status.ts";

export type AgentObject = Agent & KubeObject;
export type ConfigMapObject = KubeObject & { data?: Record<string, string> };

/** The caches this controller reads; map functions (index.ts) read them too. */
export interface Caches {
  readonly agents: Informer<AgentObject>;
  readonly configMaps: Informer<ConfigMapObject>;
  readonly nodeConfigs: Informer<KubeObject>;
  readonly volumes: Informer<KubeObject>;
}

export function agentCaches(deps: ControllerDeps): Caches {
  return {
    agents: deps.informer(AGENTS),
    configMaps: deps.informer(CONFIGMAPS),
    nodeConfigs: deps.informer(NODECONFIGS),
    volumes: deps.informer(VOLUMES),
  };
}

export function observe(caches: Caches, agent: AgentObject, reading: AgentReading, registryRef: RegistryRef): Observed {
  const namespace = agent.metadata.namespace ?? "";
  const refs = reading.ok ? (reading.spec.volumes ?? []).flatMap((v) => (v.volumeRef === undefined ? [] : [v.volumeRef])) : [];
  const registry = caches.configMaps.get(`${registryRef.namespace}/${registryRef.name}`);
  return {
    registryRef,
    // A ConfigMap with no data is an empty registry, not a missing one.
    registry: registry ? registry.data ?? {} : undefined,
    nodeConfigs: readNodeConfigs(caches.nodeConfigs.list()),
    volumes: new Set(refs.filter((ref) => caches.volumes.get(`${namespace}/${ref}`) !== undefined)),
  };
}
