/**
 * The NodeConfig controller's wiring. It selects Kubernetes Nodes, labels them with the
 * NodeConfig's tags (tag.aegis.dev/<tag>=true), reports the matched nodes and their capacity,
 * and on orchestrators checks the LLM providers and their key Secrets. Nodes and Secrets are
 * watched so a new node or a created Secret takes effect without a restart.
 * Imports nothing from other controllers.
 */
import { NODECONFIGS, NODES, SECRETS } from "../../src/kube/resources.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import { nodeConfigCaches, type Caches } from "./observe.ts";
import { nodeConfigReconciler } from "./reconcile.ts";
import { nodeConfigsForNode, nodeConfigsForSecret } from "./watches.ts";

/**
 * A fresh spec per manager: its map functions read the caches the manager hands to the
 * reconciler, as controller-runtime map functions close over the manager's cache.
 */
export function nodeConfigController(): ControllerSpec {
  let caches: Caches | undefined;
  const nodeConfigs = () => caches?.nodeConfigs.list() ?? [];
  return {
    name: "nodeconfig",
    for: NODECONFIGS,
    watches: [
      { resource: NODES, map: (node) => nodeConfigsForNode(nodeConfigs(), node) },
      { resource: SECRETS, map: (secret) => nodeConfigsForSecret(nodeConfigs(), secret) },
    ],
    workers: 2,
    reconciler: (deps) => {
      caches = nodeConfigCaches(deps);
      return nodeConfigReconciler(deps, caches);
    },
  };
}
