// The provider clients: OpenAI-compatible chat completions (OpenAI, Ollama, vLLM) and Anthropic
// Messages, behind ProviderClient: a whole answer (`chat`) or a streamed one (`stream`, neutral
// deltas as the provider's events arrive).
import type { RetryPolicy } from "../retry.ts";
import { fromOpenAIResponse, openaiStreamDecoder, toOpenAIBody, type StreamDecoder } from "../translate-openai.ts";
import { anthropicStreamDecoder, fromAnthropicResponse, toAnthropicBody } from "../translate-anthropic.ts";
import { callProvider, openProviderStream, ProviderError, scrub, type ProviderStream } from "./http.ts";
import { decodeResultToolNames, encodeRequestToolNames } from "../tool-name-table.ts";
import type { ChatDelta, ChatRequest, ChatResult, ProviderClient } from "./types.ts";
import { inSpan, inStreamSpan, SERVICE, SpanKind, tracerFor } from "../../telemetry/index.ts";

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
  interface Wire {
    url: string;
    headers: Record<string, string>;
    body: (r: ChatRequest) => Record<string, unknown>;
    answer: (json: unknown) => ChatResult;
    /** What the streaming request adds to the body. */
    streamed: Record<string, unknown>;
    decoder: (fromWire: (wire: string) => string) => StreamDecoder;
  }
  const wire: Wire = s.flavour === "anthropic"
    ? {
      url: `${v1(s.endpoint)}/messages`,
      headers: { "anthropic-version": ANTHROPIC_VERSION, ...(s.apiKey === undefined ? {} : { "x-api-key": s.apiKey }) },
      body: toAnthropicBody,
      answer: fromAnthropicResponse,
      streamed: { stream: true },
      decoder: anthropicStreamDecoder,
    }
    : {
      url: `${v1(s.endpoint)}/chat/completions`,
      headers: s.apiKey === undefined ? {} : { authorization: `Bearer ${s.apiKey}` },
      body: toOpenAIBody,
      answer: fromOpenAIResponse,
      streamed: { stream: true, stream_options: { include_usage: true } },
      decoder: openaiStreamDecoder,
    };
  /** The stream's deltas; a stream that is not the format, streams an error or ends early throws a ProviderError. */
  async function* deltas(stream: ProviderStream, decoder: StreamDecoder): AsyncGenerator<ChatDelta> {
    try {
      for await (const event of stream.events()) yield* decoder.event(event);
      yield* decoder.end();
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError(scrub(`provider ${s.name} gave a malformed stream: ${(error as Error).message}`, secrets), 502, 1);
    }
  }
  /** A CLIENT span per call (retries included): provider, model and token counts, never the messages. */
  const span = (req: ChatRequest) => ({
    kind: SpanKind.CLIENT,
    attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": s.name, "gen_ai.request.model": req.model, "server.address": URL.parse(wire.url)?.hostname ?? "", "aegis.provider.flavour": s.flavour },
  });
  return {
    name: s.name,
    chat: (req: ChatRequest, options = {}): Promise<ChatResult> => inSpan(tracerFor(SERVICE.gateway), `chat ${req.model}`, span(req), async (traced) => {
      // Providers take only ^[a-zA-Z0-9_-]{1,64}$ tool names: encode them, decode the answer's.
      const { request, table } = encodeRequestToolNames(req);
      const signal = options.signal === undefined ? {} : { signal: options.signal };
      const json = await callProvider({ ...common, ...signal, url: wire.url, headers: wire.headers, body: wire.body(request) });
      const result = decodeResultToolNames(decode(wire.answer, json), table);
      traced.setAttributes({ "gen_ai.usage.input_tokens": result.usage.input, "gen_ai.usage.output_tokens": result.usage.output });
      return result;
    }),
    stream: (req: ChatRequest, options = {}): Promise<AsyncIterable<ChatDelta>> => inStreamSpan(tracerFor(SERVICE.gateway), `chat ${req.model}`, span(req), async () => {
      const { request, table } = encodeRequestToolNames(req);
      const signal = options.signal === undefined ? {} : { signal: options.signal };
      const stream = await openProviderStream({ ...common, ...signal, url: wire.url, headers: wire.headers, body: { ...wire.body(request), ...wire.streamed } });
      return deltas(stream, wire.decoder((name) => table.fromWire(name)));
    }),
  };
}
