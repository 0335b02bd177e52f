/**
 * Agent condition types and reasons. Polarity: True is good for both types.
 * - Accepted: the spec is consistent in itself (no lookups); False names the broken rule.
 * - Ready: every reference resolves (runtime image, model alias, volumes, tools, placement);
 *   Executions may start. False gives the first unresolved reference (order in status.ts).
 * Event reasons are the same strings.
 */
export const ConditionType = {
  Accepted: "Accepted",
  Ready: "Ready",
} as const;

export const Reason = {
  /** Accepted=True. */
  SpecValid: "SpecValid",
  /** The object lacks the shape the API promises (only reachable by bypassing the CRD). */
  InvalidSpec: "InvalidSpec",
  /** runtime needs image, or language with version: exactly one of the two. */
  InvalidRuntime: "InvalidRuntime",
  /** A volume needs volumeRef or size (not both); names and mount paths are unique. */
  InvalidVolume: "InvalidVolume",
  /** Ready=True: everything resolved. */
  Resolved: "Resolved",
  /** The runtime registry ConfigMap does not exist. */
  RegistryMissing: "RegistryMissing",
  /** The registry has no image for runtime.language + runtime.version. */
  UnknownLanguageVersion: "UnknownLanguageVersion",
  /** The registry's entry for the pair is not an image reference. */
  RegistryEntryInvalid: "RegistryEntryInvalid",
  /** No Orchestrator or Hybrid NodeConfig declares an enabled LLM provider. */
  NoOrchestrator: "NoOrchestrator",
  /** No enabled provider of an orchestrator NodeConfig offers runtime.model. */
  ModelAliasUnknown: "ModelAliasUnknown",
  /** A volumeRef names a Volume that does not exist in the Agent's namespace. */
  VolumeMissing: "VolumeMissing",
  /** An mcp:<server> tool names a server no NodeConfig runs (enabled). */
  ToolServerUnknown: "ToolServerUnknown",
  /** A placement tag is carried by no NodeConfig. */
  PlacementTagUnknown: "PlacementTagUnknown",
} as const;
