/** Every kind's webhook, by kind name. Workflow, Swarm and Volume have no controller checks yet. */
import type { Kind } from "../../src/api/index.ts";
import { agentWebhook } from "./agent.ts";
import { executionWebhook } from "./execution.ts";
import { schemaOnly, type KindWebhook } from "./kind.ts";
import { nodeConfigWebhook } from "./nodeconfig.ts";

export type { KindWebhook };

export const KIND_WEBHOOKS: Readonly<Record<Kind, KindWebhook>> = {
  Agent: agentWebhook,
  Execution: executionWebhook,
  Workflow: schemaOnly,
  Swarm: schemaOnly,
  Volume: schemaOnly,
  NodeConfig: nodeConfigWebhook,
};
