// The provider clients: OpenAI-compatible chat completions (OpenAI, Ollama, vLLM) and Anthropic
// Messages, behind ProviderClient. Non-streaming calls to the provider; the gateway streams to
// the agent itself (server.ts).
import type { RetryPolicy } from "../retry.ts";
import { fromOpenAIResponse, toOpenAIBody } from "../translate-openai.ts";
import { fromAnthropicResponse, toAnthropicBody } from "../translate-anthropic.ts";
import { callProvider, ProviderError } from "./http.ts";
import type { ProviderClient } from "./types.ts";

export type ProviderFlavour = "openai" | "anthropic";

export interface ProviderSettings {
  readonly name: string;
  readonly flavour: ProviderFlavour;
  /** Base URL; "/v1" is added when it does not end with it. */
  readonly endpoint: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly onRetry?: (info: { attempt: number; status: number | undefined; delayMs: number }) => void;
}

export const ANTHROPIC_VERSION = "2023-06-01";

function v1(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, "");
  return base.endsWith("/v1") ? base : `${base}/v1`;
}

export function createProviderClient(s: ProviderSettings): ProviderClient {
  const secrets = s.apiKey === undefined ? [] : [s.apiKey];
  const common = { provider: s.name, timeoutMs: s.timeoutMs, retry: s.retry, secrets, ...(s.onRetry === undefined ? {} : { onRetry: s.onRetry }) };
  const decode = <T>(fn: (json: unknown) => T, json: unknown): T => {
    try {
      return fn(json);
    } catch (error) {
      throw new ProviderError(`provider ${s.name} gave a malformed answer: ${(error as Error).message}`, 502, 1);
    }
  };
  if (s.flavour === "anthropic") {
    const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION, ...(s.apiKey === undefined ? {} : { "x-api-key": s.apiKey }) };
    return {
      name: s.name,
      async chat(req) {
        return decode(fromAnthropicResponse, await callProvider({ ...common, url: `${v1(s.endpoint)}/messages`, headers, body: toAnthropicBody(req) }));
      },
    };
  }
  const headers: Record<string, string> = s.apiKey === undefined ? {} : { authorization: `Bearer ${s.apiKey}` };
  return {
    name: s.name,
    async chat(req) {
      return decode(fromOpenAIResponse, await callProvider({ ...common, url: `${v1(s.endpoint)}/chat/completions`, headers, body: toOpenAIBody(req) }));
    },
  };
}
