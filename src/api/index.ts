// The aegis.dev API for the rest of the code: group, version, kind names and the generated types.
// Plain constants (no schema import) so runtime code does not build the schemas to use them;
// src/api/index.test.ts checks they agree with src/api/schema.
export const GROUP = "aegis.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const CATEGORY = "aegis";

/** Kind → REST names, for clients (`/apis/aegis.dev/v1alpha1/namespaces/<ns>/<plural>`). */
export const RESOURCES = {
  Agent: { plural: "agents", singular: "agent", shortName: "ag", namespaced: true },
  Execution: { plural: "executions", singular: "execution", shortName: "ex", namespaced: true },
  Workflow: { plural: "workflows", singular: "workflow", shortName: "wf", namespaced: true },
  Swarm: { plural: "swarms", singular: "swarm", shortName: "sw", namespaced: true },
  Volume: { plural: "volumes", singular: "volume", shortName: "vol", namespaced: true },
  NodeConfig: { plural: "nodeconfigs", singular: "nodeconfig", shortName: "nc", namespaced: false },
} as const;

export type Kind = keyof typeof RESOURCES;
export const KIND_NAMES = Object.keys(RESOURCES) as Kind[];

export const EXECUTION_PHASES = ["Pending", "Running", "Validating", "Refining", "Succeeded", "Failed", "Cancelled"] as const;
/** Phases after which an Execution never changes again. */
export const TERMINAL_EXECUTION_PHASES = ["Succeeded", "Failed", "Cancelled"] as const;

/** The condition every kind carries. */
export const READY_CONDITION = "Ready";

export type * from "./generated/index.ts";
