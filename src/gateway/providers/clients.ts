// The provider clients: OpenAI-compatible chat completions (OpenAI, Ollama, vLLM) and Anthropic
// Messages, behind ProviderClient. Non-streaming calls to the provider; the gateway streams to
// the agent itself (server.ts).
import type { RetryPolicy } from "../retry.ts";
import { fromOpenAIResponse, toOpenAIBody } from "../translate-openai.ts";
import { fromAnthropicResponse, toAnthropicBody } from "../translate-anthropic.ts";
import { callProvider, ProviderError } from "./http.ts";
import { decodeResultToolNames, encodeRequestToolNames } from "../tool-name-table.ts";
import type { ChatRequest, ChatResult, ProviderClient } from "./types.ts";

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
  const wire: { url: string; headers: Record<string, string>; body: (r: ChatRequest) => unknown; answer: (json: unknown) => ChatResult } = s.flavour === "anthropic"
    ? {
      url: `${v1(s.endpoint)}/messages`,
      headers: { "anthropic-version": ANTHROPIC_VERSION, ...(s.apiKey === undefined ? {} : { "x-api-key": s.apiKey }) },
      body: toAnthropicBody,
      answer: fromAnthropicResponse,
    }
    : {
      url: `${v1(s.endpoint)}/chat/completions`,
      headers: s.apiKey === undefined ? {} : { authorization: `Bearer ${s.apiKey}` },
      body: toOpenAIBody,
      answer: fromOpenAIResponse,
    };
  return {
    name: s.name,
    async chat(req: ChatRequest, options = {}): Promise<ChatResult> {
      // Providers take only ^[a-zA-Z0-9_-]{1,64}$ tool names: encode them, decode the answer's.
      const { request, table } = encodeRequestToolNames(req);
      const signal = options.signal === undefined ? {} : { signal: options.signal };
      const json = await callProvider({ ...common, ...signal, url: wire.url, headers: wire.headers, body: wire.body(request) });
      return decodeResultToolNames(decode(wire.answer, json), table);
    },
  };
}
