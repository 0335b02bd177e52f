/**
 * Read-only gathering for one NodeConfig from the informer caches: which Nodes its selector
 * picks (with their capacity and who owns their labels) and which key names its provider
 * Secrets hold. Secret values are never read beyond their key names.
 */
import type { V1NodeStatus } from "@kubernetes/client-node";
import type { NodeConfig } from "../../src/api/index.ts";
import { NODECONFIGS, NODES, SECRETS } from "../../src/kube/resources.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ControllerDeps, Informer } from "../../src/runtime/types.ts";
import { totalCapacity } from "./capacity.ts";
import type { NodeLabelState } from "./labels.ts";
import { selects } from "./selector.ts";
import type { SpecReading } from "./spec.ts";
import type { Observed } from "./status.ts";

export type NodeConfigObject = NodeConfig & KubeObject;
export type NodeObject = KubeObject & { status?: V1NodeStatus };
export type SecretObject = KubeObject & { data?: Record<string, string> };

/** The caches this controller reads; map functions (index.ts) read them too. */
export interface Caches {
  readonly nodeConfigs: Informer<NodeConfigObject>;
  readonly nodes: Informer<NodeObject>;
  readonly secrets: Informer<SecretObject>;
}

export function nodeConfigCaches(deps: ControllerDeps): Caches {
  return { nodeConfigs: deps.informer(NODECONFIGS), nodes: deps.informer(NODES), secrets: deps.informer(SECRETS) };
}

export interface Observation {
  readonly observed: Observed;
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
  const secretKeys = new Map<string, string[]>();
  for (const provider of reading.ok ? reading.spec.llmProviders ?? [] : []) {
    const ref = provider.apiKeySecretRef;
    const secret = ref && caches.secrets.get(`${ref.namespace}/${ref.name}`);
    if (ref && secret) secretKeys.set(`${ref.namespace}/${ref.name}`, Object.keys(secret.data ?? {}));
  }
  return {
    observed: {
      nodes: selected.map((node) => node.metadata.name ?? ""),
      capacity: totalCapacity(selected.map((node) => node.status?.capacity)),
      secretKeys,
    },
    nodes,
  };
}
