// The LLM providers of orchestrator nodes and how model aliases pick one (spec §7). Keys come
// from Secrets: the operator's gateway is the only reader, agents never see them.
import { array, boolean, describe, enumOf, integer, number, object, rule, string } from "./builders.ts";
import { duration, namespacedSecretKeySelector } from "./common.ts";
import { MODEL_ALIAS_PATTERN } from "./agent.ts";

export const PROVIDER_TYPES = ["ollama", "openai", "anthropic", "gemini", "openai-compatible"] as const;
export const SELECTION_STRATEGIES = ["PreferLocal", "PreferCloud", "CostOptimized", "LatencyOptimized"] as const;

const model = object("A model offered under an alias.", {
  alias: string("The alias agents use in spec.runtime.model: default, fast, smart, cheap, local, judge, or your own.", {
    pattern: MODEL_ALIAS_PATTERN, maxLength: 63,
  }),
  model: string("The provider's model name, e.g. claude-sonnet-4-5, gpt-4o, llama3.1:8b.", { maxLength: 256, minLength: 1 }),
  capabilities: array("What the model can do, e.g. [tools, vision, json].", string("A capability.", { maxLength: 63 }), 16, {
    listType: "set",
  }),
  contextWindow: integer("Context window in tokens, e.g. 200000.", { minimum: 1 }),
  maxOutputTokens: integer("Most tokens per completion.", { minimum: 1 }),
  costPer1kTokens: number("Cost in US dollars per 1,000 tokens, used for status.cost. Default 0.", { minimum: 0 }),
  temperature: number("Default temperature for this alias, 0–2.", { minimum: 0, maximum: 2 }),
}, { required: ["alias", "model"] });

export const llmProvider = object("An LLM provider and the model aliases it serves.", {
  name: string("Provider name, unique on the node, e.g. anthropic-main.", { pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 }),
  type: enumOf("API flavour: ollama, openai, anthropic, gemini or openai-compatible.", PROVIDER_TYPES),
  endpoint: string("Base URL, e.g. https://api.anthropic.com or http://ollama:11434. Default: the type's public endpoint.", {
    format: "uri", maxLength: 2048,
  }),
  apiKeySecretRef: describe(namespacedSecretKeySelector, "The Secret key holding the API key, e.g. {namespace: aegis-system, name: llm-keys, key: anthropic}. Not needed for ollama."),
  enabled: boolean("If false, the provider is ignored. Default true.", { default: true }),
  models: array("Models by alias; aliases are unique within a provider.", model, 32, { minItems: 1, listType: "map", mapKeys: ["alias"] }),
}, {
  required: ["name", "type", "models"],
  rules: [
    rule("self.type == 'ollama' || has(self.apiKeySecretRef)", "apiKeySecretRef is required for every provider type except ollama",
      ".apiKeySecretRef", "FieldValueRequired"),
    rule("self.type != 'openai-compatible' || has(self.endpoint)", "endpoint is required when type is openai-compatible",
      ".endpoint", "FieldValueRequired"),
  ],
});

export const llmSelection = object("How an alias served by several providers picks one, and retries.", {
  strategy: enumOf("PreferLocal (default), PreferCloud, CostOptimized or LatencyOptimized.", SELECTION_STRATEGIES, { default: "PreferLocal" }),
  defaultProvider: string("Provider tried first; must be one of llmProviders.", { maxLength: 63 }),
  fallbackProvider: string("Provider tried when the chosen one fails; must be one of llmProviders.", { maxLength: 63 }),
  maxRetries: integer("Retries of a failed call. Default 3.", { minimum: 0, maximum: 10, default: 3 }),
  retryDelay: duration("Delay before the first retry, doubled each time. Default 1s.", { default: "1s" }),
  timeout: duration("Limit of one call including retries. Default 30s.", { default: "30s" }),
});
