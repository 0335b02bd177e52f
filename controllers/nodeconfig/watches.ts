/**
 * Which NodeConfigs a change of a watched object concerns. A Node concerns the NodeConfigs that
 * select it now and those whose labels it still carries (so they can release it). Secrets are
 * not watched (requeue.ts).
 */
import type { KubeObject } from "../../src/kube/types.ts";
import type { Request } from "../../src/runtime/types.ts";
import { labelFieldManager, ownedLabelKeys } from "./labels.ts";
import { selects } from "./selector.ts";
import { readSpec } from "./spec.ts";

const request = (nc: KubeObject): Request => ({ name: nc.metadata.name ?? "" });

export function nodeConfigsForNode(nodeConfigs: readonly KubeObject[], node: KubeObject): Request[] {
  return nodeConfigs.filter((nc) => {
    const reading = readSpec(nc.spec);
    if (reading.ok && selects(reading.spec.nodeSelector as never, node.metadata.labels)) return true;
    return ownedLabelKeys(node.metadata.managedFields, labelFieldManager(nc.metadata.name ?? "")).length > 0;
  }).map(request);
}
