/**
 * The NodeConfig controller's wiring. It selects Kubernetes Nodes, labels them with the
 * NodeConfig's tags (tag.aegis.dev/<tag>=true), reports the matched nodes and their capacity,
 * and on orchestrators checks the LLM providers and their key Secrets. Nodes are watched, so a
 * new node takes effect at once. Secrets are not watched (no list/watch on Secrets: each is read
 * by name with a get, secret-keys.ts); a NodeConfig that reads any is requeued instead
 * (requeue.ts): after 5 s while a Secret or key is missing or unreadable, so a created Secret is
 * noticed within about 5 s, and every 5 min while they are fine, so a deleted or edited Secret
 * is noticed within about 5 min.
 * Imports nothing from other controllers.
 */
import { NODECONFIGS, NODES } from "../../src/kube/resources.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import { nodeConfigCaches, type Caches } from "./observe.ts";
import { nodeConfigReconciler } from "./reconcile.ts";
import { nodeConfigsForNode } from "./watches.ts";

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
    ],
    workers: 2,
    reconciler: (deps) => {
      caches = nodeConfigCaches(deps);
      return nodeConfigReconciler(deps, caches);
    },
  };
}
