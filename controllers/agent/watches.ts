/**
 * Which Agents a change of a watched object concerns: the registry ConfigMap and any NodeConfig
 * concern every Agent (images, aliases, servers and tags are shared); a Volume concerns the Agents
 * of its namespace that name it. This is what makes a fixed reference heal without a restart.
 */
import type { KubeObject } from "../../src/kube/types.ts";
import type { Request } from "../../src/runtime/types.ts";
import type { RegistryRef } from "./registry.ts";

const request = (agent: KubeObject): Request => ({ namespace: agent.metadata.namespace, name: agent.metadata.name ?? "" });

export function agentsForConfigMap(agents: readonly KubeObject[], configMap: KubeObject, registry: RegistryRef): Request[] {
  const { namespace, name } = configMap.metadata;
  return namespace === registry.namespace && name === registry.name ? agents.map(request) : [];
}

export const agentsForNodeConfig = (agents: readonly KubeObject[]): Request[] => agents.map(request);

/** `agents` are those of the Volume's namespace. */
export function agentsForVolume(agents: readonly KubeObject[], volume: KubeObject): Request[] {
  const names = (agent: KubeObject): unknown[] => {
    const volumes = (agent.spec as { volumes?: unknown } | undefined)?.volumes;
    return Array.isArray(volumes) ? volumes.map((v: { volumeRef?: unknown } | null) => v?.volumeRef) : [];
  };
  return agents.filter((agent) => names(agent).includes(volume.metadata.name)).map(request);
}
