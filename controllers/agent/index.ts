/**
 * The Agent controller's wiring. It resolves the runtime image (runtime registry ConfigMap),
 * the model alias (orchestrator NodeConfigs), volumes, MCP tool servers and placement tags, and
 * reports Accepted and Ready. It watches the registry, NodeConfigs and Volumes so that a fixed
 * reference makes Agents Ready again without a restart. Imports nothing from other controllers.
 */
import { AGENTS, CONFIGMAPS, NODECONFIGS, VOLUMES } from "../../src/kube/resources.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import { agentCaches, type Caches } from "./observe.ts";
import { agentReconciler } from "./reconcile.ts";
import { DEFAULT_REGISTRY, type RegistryRef } from "./registry.ts";
import { agentsForConfigMap, agentsForNodeConfig, agentsForVolume } from "./watches.ts";

export interface AgentControllerOptions {
  /** The runtime registry ConfigMap; default aegis-system/aegis-runtime-registry. */
  readonly registry?: RegistryRef;
  readonly workers?: number;
}

/**
 * A fresh spec per manager: its map functions read the caches the manager hands to the
 * reconciler, as controller-runtime map functions close over the manager's cache.
 */
export function agentController(options: AgentControllerOptions = {}): ControllerSpec {
  const registry = options.registry ?? DEFAULT_REGISTRY;
  let caches: Caches | undefined;
  const agents = (namespace?: string) => caches?.agents.list(namespace) ?? [];
  return {
    name: "agent",
    for: AGENTS,
    watches: [
      { resource: CONFIGMAPS, map: (cm) => agentsForConfigMap(agents(), cm, registry) },
      { resource: NODECONFIGS, map: () => agentsForNodeConfig(agents()) },
      { resource: VOLUMES, map: (volume) => agentsForVolume(agents(volume.metadata.namespace), volume) },
    ],
    workers: options.workers ?? 8,
    reconciler: (deps) => {
      caches = agentCaches(deps);
      return agentReconciler(deps, caches, registry);
    },
  };
}
