/**
 * NodeConfig condition types and reasons. Polarity: Ready=True is good; False says which rule
 * failed first (see status.ts for the order). Event reasons are the same strings.
 */
export const ConditionType = {
  /** The nodes are selected and labelled, and (on orchestrators) every provider is usable. */
  Ready: "Ready",
} as const;

export const Reason = {
  /** True: at least one node matched and carries the tags. */
  NodesSelected: "NodesSelected",
  /** The object does not have the shape the API promises (only reachable by bypassing the CRD). */
  InvalidSpec: "InvalidSpec",
  /** Two enabled providers (or models) offer the same alias: an Agent's model would be ambiguous. */
  DuplicateModelAlias: "DuplicateModelAlias",
  /** An Orchestrator (or Hybrid with providers) has no enabled provider: no alias can resolve. */
  NoProviders: "NoProviders",
  /** A provider's apiKeySecretRef names a Secret that does not exist. */
  ProviderSecretMissing: "ProviderSecretMissing",
  /** The Secret exists but lacks the key. */
  ProviderSecretKeyMissing: "ProviderSecretKeyMissing",
  /** The get of the Secret failed otherwise, e.g. Forbidden (no `get` on Secrets there). */
  ProviderSecretUnreadable: "ProviderSecretUnreadable",
  /** The nodeSelector matches no Node. */
  NoNodesMatched: "NoNodesMatched",
} as const;

export type ReasonName = (typeof Reason)[keyof typeof Reason];
