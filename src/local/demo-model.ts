/**
 * The model `npm start` gives its NodeConfig "local": a real provider when a key (or Ollama's
 * address) is in the environment (selectModelBackend), else the scripted model server playing
 * the hello agent. The provider entry points the alias `local` at it.
 */
import { randomBytes } from "node:crypto";
import { selectModelBackend } from "../model-server/backend.ts";
import { startScriptedModelServer } from "../model-server/server.ts";
import { DEMO_MODEL, demoScript } from "./demo-script.ts";

export interface DemoModel {
  /** What the user is told: "the scripted model" or "OpenAI gpt-4o-mini". */
  readonly description: string;
  /** The NodeConfig's llmProviders entry (without its key reference). */
  readonly provider: { name: string; type: string; endpoint: string; models: { alias: string; model: string; costPer1kTokens?: number }[] };
  /** The key for the Secret, when the provider takes one. */
  readonly apiKey: string | undefined;
  stop(): Promise<void>;
}

export const DEMO_ALIAS = "local";

export async function startDemoModel(env: Record<string, string | undefined>): Promise<DemoModel> {
  const backend = selectModelBackend(env);
  const entry = (type: string, endpoint: string, model: string, cost?: number) =>
    ({ name: "local", type, endpoint, models: [{ alias: DEMO_ALIAS, model, ...(cost === undefined ? {} : { costPer1kTokens: cost }) }] });
  const model = (fallback: string): string => env["AEGIS_DEMO_MODEL"]?.trim() || fallback;
  switch (backend.kind) {
    case "openai":
      return { description: `OpenAI-compatible ${model("gpt-4o-mini")} at ${backend.baseUrl}`, provider: entry("openai", backend.baseUrl, model("gpt-4o-mini"), 0.00015), apiKey: backend.apiKey, stop: () => Promise.resolve() };
    case "anthropic":
      return { description: `Anthropic ${model("claude-haiku-4-5")}`, provider: entry("anthropic", backend.baseUrl, model("claude-haiku-4-5"), 0.001), apiKey: backend.apiKey, stop: () => Promise.resolve() };
    case "ollama":
      return { description: `Ollama ${model("llama3.1:8b")} at ${backend.baseUrl}`, provider: entry("ollama", backend.baseUrl, model("llama3.1:8b")), apiKey: undefined, stop: () => Promise.resolve() };
    default: {
      const apiKey = `sk-local-${randomBytes(12).toString("hex")}`;
      const server = await startScriptedModelServer({ script: demoScript(), apiKey });
      return { description: `the scripted model server (${server.url}; set OPENAI_API_KEY, ANTHROPIC_API_KEY or OLLAMA_HOST for a real one)`, provider: entry("openai", server.url, DEMO_MODEL, 0.002), apiKey, stop: () => server.stop() };
    }
  }
}
