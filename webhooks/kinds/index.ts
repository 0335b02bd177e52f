/** Every kind's webhook, by kind name. Workflow and Volume have no checks beyond the CRD schema yet. */
import type { Kind } from "../../src/api/index.ts";
import { agentWebhook } from "./agent.ts";
import { executionWebhook } from "./execution.ts";
import { schemaOnly, type KindWebhook } from "./kind.ts";
import { nodeConfigWebhook } from "./nodeconfig.ts";
import { swarmWebhook } from "./swarm.ts";

export type { KindWebhook };

export const KIND_WEBHOOKS: Readonly<Record<Kind, KindWebhook>> = {
  Agent: agentWebhook,
  Execution: executionWebhook,
  Workflow: schemaOnly,
  Swarm: swarmWebhook,
  Volume: schemaOnly,
  NodeConfig: nodeConfigWebhook,
};
