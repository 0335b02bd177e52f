/**
 * Read-only gathering for one NodeConfig from the informer caches: which Nodes its selector
 * picks, with their capacity and who owns their labels. Provider Secrets are not cached; they
 * are read by name at reconcile time (secret-keys.ts).
 */
import type { V1NodeStatus } from "@kubernetes/client-node";
import type { NodeConfig } from "../../src/api/index.ts";
import { NODECONFIGS, NODES } from "../../src/kube/resources.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ControllerDeps, Informer } from "../../src/runtime/types.ts";
import { totalCapacity } from "./capacity.ts";
import type { NodeLabelState } from "./labels.ts";
import { selects } from "./selector.ts";
import type { SpecReading } from "./spec.ts";
import type { Observed } from "./status.ts";

export type NodeConfigObject = NodeConfig & KubeObject;
export type NodeObject = KubeObject & { status?: V1NodeStatus };

/** The caches this controller reads; map functions (index.ts) read them too. */
export interface Caches {
  readonly nodeConfigs: Informer<NodeConfigObject>;
  readonly nodes: Informer<NodeObject>;
}

export function nodeConfigCaches(deps: ControllerDeps): Caches {
  return { nodeConfigs: deps.informer(NODECONFIGS), nodes: deps.informer(NODES) };
}

export interface Observation {
  /** The selected nodes' names and capacity (the Secrets are read separately). */
  readonly selected: Pick<Observed, "nodes" | "capacity">;
  /** Every Node with whether it is selected: the input of the label plan. */
  readonly nodes: readonly NodeLabelState[];
}

export function observe(caches: Caches, reading: SpecReading): Observation {
  const all = caches.nodes.list();
  const nodes = all.map((node): NodeLabelState => ({
    name: node.metadata.name ?? "",
    uid: node.metadata.uid,
    labels: node.metadata.labels ?? {},
    managedFields: node.metadata.managedFields,
    // An unreadable spec selects nothing: its status says why, and its labels are left as they are.
    selected: reading.ok && selects(reading.spec.nodeSelector as never, node.metadata.labels),
  }));
  const selected = all.filter((_, i) => nodes[i]?.selected).sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  return {
    selected: {
      nodes: selected.map((node) => node.metadata.name ?? ""),
      capacity: totalCapacity(selected.map((node) => node.status?.capacity)),
    },
    nodes,
  };
}
