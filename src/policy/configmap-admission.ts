// Admission of policy ConfigMaps (label aegis.dev/policy=true): the set the namespace would hold
// with this ConfigMap in place of its stored version is compiled with the store's own loader
// (compilePolicies), and each error located in this ConfigMap becomes a denial naming its data
// key with Cedar's message. Pure: the other ConfigMaps come from the caller (an informer cache).
import type { KubeObject } from "../kube/types.ts";
import { isPolicyConfigMap, policySourcesFor } from "./configmaps.ts";
import { compilePolicies, type PolicyError } from "./load.ts";

export interface PolicyConfigMapDenial {
  /** data[<key>] for an error in one key; data for one of the whole set. */
  readonly field: string;
  readonly message: string;
}

/**
 * The denials of `configMap` (empty: admit). `cached` are the ConfigMaps known now (any
 * namespace; the stored version of `configMap` among them is replaced). A ConfigMap in the
 * operator's namespace is checked with the cluster-wide set; one elsewhere with the cluster-wide
 * set plus its namespace's own: the set the store of that namespace would compile.
 */
export function policyConfigMapDenials(
  configMap: KubeObject,
  cached: readonly KubeObject[],
  operatorNamespace: string,
): PolicyConfigMapDenial[] {
  if (!isPolicyConfigMap(configMap)) return [];
  const namespace = configMap.metadata.namespace ?? "";
  const name = configMap.metadata.name ?? "";
  const others = cached.filter((cm) => cm.metadata.namespace !== namespace || cm.metadata.name !== name);
  const { sources } = policySourcesFor([...others, configMap], namespace, operatorNamespace);
  const result = compilePolicies(sources);
  if (result.ok) return [];
  const prefix = `${namespace}/${name}/`;
  // Errors of other ConfigMaps (refused when they were stored, or stored before this webhook)
  // are not this object's doing: only its own, and whole-set failures, deny it.
  return result.errors.flatMap((e): PolicyConfigMapDenial[] => {
    if (e.source.startsWith(prefix)) return [{ field: `data[${e.source.slice(prefix.length)}]`, message: describe(e, prefix) }];
    if (e.source.startsWith("(")) return [{ field: "data", message: describe(e, prefix) }];
    return [];
  });
}

/** "tools.cedar:3:51: policy typo: <Cedar's message>", the key relative to the ConfigMap. */
function describe(e: PolicyError, prefix: string): string {
  const key = e.source.startsWith(prefix) ? e.source.slice(prefix.length) : e.source;
  const where = e.line === undefined ? key : `${key}:${e.line}:${e.column}`;
  const policy = e.policyId === undefined ? "" : `policy ${e.policyId.startsWith(prefix) ? e.policyId.slice(prefix.length) : e.policyId}: `;
  return `${where}: ${policy}${e.message}`;
}
