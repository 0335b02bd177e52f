/**
 * The parts of an Agent and of NodeConfigs this controller reads, parsed so the decision
 * functions are total: any JSON in, a condition out. Stored objects already have this shape
 * (the CRD schemas guarantee it); garbage gets a precise InvalidSpec message.
 */
import { z } from "zod";
import { readSpecWith, type SpecReading } from "../../src/runtime/spec-reading.ts";

const agentSpec = z.object({
  runtime: z.object({
    image: z.string().optional(),
    language: z.string().optional(),
    version: z.string().optional(),
    model: z.string().default("default"),
  }),
  task: z.object({ instruction: z.string().min(1) }),
  tools: z.array(z.string()).optional(),
  volumes: z.array(z.object({
    name: z.string(),
    mountPath: z.string(),
    volumeRef: z.string().optional(),
    size: z.union([z.string(), z.number()]).optional(),
  })).optional(),
  placement: z.object({ tags: z.array(z.string()).optional() }).optional(),
});

export type AgentView = z.infer<typeof agentSpec>;

export type AgentReading = SpecReading<AgentView>;

export const readAgentSpec = (raw: unknown): AgentReading => readSpecWith(agentSpec, raw);

/** What an Agent needs to know of a NodeConfig: its role, tags, model aliases and MCP servers. */
const nodeConfigSpec = z.object({
  type: z.string(),
  tags: z.array(z.string()).optional(),
  llmProviders: z.array(z.object({
    name: z.string(),
    enabled: z.boolean().optional(),
    models: z.array(z.object({ alias: z.string(), model: z.string() })),
  })).optional(),
  mcpServers: z.array(z.object({ name: z.string(), enabled: z.boolean().optional() })).optional(),
});

export type NodeConfigView = z.infer<typeof nodeConfigSpec> & { readonly name: string };

/** The readable NodeConfigs, sorted by name (so the alias a tie resolves to is stable). */
export function readNodeConfigs(objects: readonly { metadata: { name?: string }; spec?: unknown }[]): NodeConfigView[] {
  const views: NodeConfigView[] = [];
  for (const obj of objects) {
    const result = nodeConfigSpec.safeParse(obj.spec);
    if (result.success) views.push({ ...result.data, name: obj.metadata.name ?? "" });
  }
  return views.sort((a, b) => a.name.localeCompare(b.name));
}
