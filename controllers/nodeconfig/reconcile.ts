/**
 * Reconcile one NodeConfig: read it from the cache, observe Nodes, label the selected Nodes with
 * its tags, get the provider Secrets it checks (key names only), and report Ready with the
 * matched nodes and their capacity. Node labels are node-level state no owner reference can
 * collect, hence the finalizer. Nothing watches Secrets, so the result requeues (requeue.ts).
 */
import { isNotFound } from "../../src/kube/errors.ts";
import { addFinalizer, removeFinalizer } from "../../src/kube/finalizers.ts";
import { NODECONFIGS, NODES } from "../../src/kube/resources.ts";
import { reportStatus } from "../../src/kube/status-report.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import type { ControllerDeps, Reconciler } from "../../src/runtime/types.ts";
import { labelFieldManager, planLabels, type LabelApply } from "./labels.ts";
import { observe, type Caches } from "./observe.ts";
import { ConditionType } from "./reasons.ts";
import { nextSecretCheck } from "./requeue.ts";
import { readSecrets } from "./secret-keys.ts";
import { checkedSecrets, readSpec } from "./spec.ts";
import { nodeConfigStatus } from "./status.ts";

/** Held while this NodeConfig's labels may remain on Nodes. */
export const LABELS_FINALIZER = "aegis.dev/node-labels";

export function nodeConfigReconciler(deps: ControllerDeps, caches: Caches): Reconciler {
  return {
    async reconcile({ name }, ctx) {
      const nodeConfig = caches.nodeConfigs.get(name);
      if (!nodeConfig) return {}; // gone: its finalizer already released the nodes
      const manager = labelFieldManager(name);
      const reading = readSpec(nodeConfig.spec);
      const { selected, nodes } = observe(caches, reading);
      if (nodeConfig.metadata.deletionTimestamp) {
        await applyLabels(deps.client, planLabels(nodes.map((n) => ({ ...n, selected: false })), [], manager), manager);
        // A stale cache may still show an object whose finalizer is already gone: done then.
        await removeFinalizer(deps.client, NODECONFIGS, nodeConfig, LABELS_FINALIZER, { fieldManager: deps.fieldManager }).catch(ignoreNotFound);
        return {};
      }
      await addFinalizer(deps.client, NODECONFIGS, nodeConfig, LABELS_FINALIZER, { fieldManager: deps.fieldManager });
      if (reading.ok) await applyLabels(deps.client, planLabels(nodes, reading.spec.tags ?? [], manager), manager);
      const toRead = reading.ok ? checkedSecrets(reading.spec) : [];
      const status = nodeConfigStatus(reading, { ...selected, secrets: await readSecrets(deps.client, toRead, ctx.log) });
      await reportStatus(deps, NODECONFIGS, nodeConfig, status, new Date());
      return nextSecretCheck(status.conditions.find((c) => c.type === ConditionType.Ready)?.reason, toRead.length);
    },
  };
}

const ignoreNotFound = (err: unknown): void => {
  if (!isNotFound(err)) throw err;
};

/**
 * Server-side apply of each node's label set under the NodeConfig's own field manager. The uid
 * makes the apply fail (Conflict, retried quietly) rather than re-create a Node deleted meanwhile.
 */
async function applyLabels(client: KubeClient, applies: readonly LabelApply[], fieldManager: string): Promise<void> {
  for (const { node, uid, labels } of applies) {
    await client.apply(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: node, uid, labels } }, { fieldManager, force: true });
  }
}
