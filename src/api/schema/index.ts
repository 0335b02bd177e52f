// Every kind of the aegis.dev API, in a fixed order (generation and tests iterate over it).
import { agentKind } from "./agent.ts";
import { executionKind } from "./execution.ts";
import type { KindDefinition } from "./kind.ts";
import { nodeConfigKind } from "./nodeconfig.ts";
import { swarmKind } from "./swarm.ts";
import { volumeKind } from "./volume.ts";
import { workflowKind } from "./workflow.ts";

export const KINDS: readonly KindDefinition[] = [agentKind, executionKind, workflowKind, swarmKind, volumeKind, nodeConfigKind];

export { crdFor, rootSchema, API_VERSION, CATEGORY, GROUP, VERSION } from "./crd.ts";
export type { KindDefinition, PrinterColumn } from "./kind.ts";
