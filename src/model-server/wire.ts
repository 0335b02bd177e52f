// The two wire formats behind one interface, so the HTTP handler is written once.
import { AnthropicRequest, anthropicConversation, anthropicError, anthropicEvents, anthropicResponse } from "./anthropic.ts";
import { ProviderOpenAIRequest, openaiChunks, openaiConversation, openaiError, openaiResponse } from "./openai.ts";
import type { z } from "zod";
import type { Conversation, Reply } from "./reply.ts";
import { describeIssues } from "./script.ts";
import type { SseEvent } from "./sse.ts";

export type ParsedRequest = { ok: true; conversation: Conversation; includeUsage: boolean } | { ok: false; error: string };

export interface WireFormat {
  name: "openai" | "anthropic";
  /** Prefix of generated tool call ids. */
  idPrefix: string;
  /** The header that carries the request id in responses. */
  requestIdHeader: string;
  parse(body: unknown): ParsedRequest;
  error(status: number, message: string): Record<string, unknown>;
  response(reply: Reply, id: string, model: string): Record<string, unknown>;
  /** Every SSE event of the stream, terminator included. */
  frames(reply: Reply, id: string, model: string, includeUsage: boolean): SseEvent[];
  responseId(seq: number): string;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** A request parser from a format's zod schema and its mapping to the neutral Conversation. */
function parserFor<T>(schema: z.ZodType<T>, toConversation: (req: T) => Conversation, includeUsage: (req: T) => boolean): WireFormat["parse"] {
  return (body) => {
    const r = schema.safeParse(body);
    if (!r.success) return { ok: false, error: describeIssues(r.error) };
    return { ok: true, conversation: toConversation(r.data), includeUsage: includeUsage(r.data) };
  };
}

export const OPENAI: WireFormat = {
  name: "openai",
  idPrefix: "call_",
  requestIdHeader: "x-request-id",
  parse: parserFor(ProviderOpenAIRequest, openaiConversation, (req) => req.stream_options?.include_usage === true),
  error: openaiError,
  response: (reply, id, model) => openaiResponse(reply, { id, model, created: now() }),
  frames(reply, id, model, includeUsage) {
    const meta = { id, model, created: now() };
    return [...openaiChunks(reply, meta, includeUsage).map((c) => ({ data: JSON.stringify(c) })), { data: "[DONE]" }];
  },
  responseId: (seq) => `chatcmpl-scripted${String(seq).padStart(6, "0")}`,
};

export const ANTHROPIC: WireFormat = {
  name: "anthropic",
  idPrefix: "toolu_",
  requestIdHeader: "request-id",
  // Anthropic streams always carry usage (message_start and message_delta).
  parse: parserFor(AnthropicRequest, anthropicConversation, () => true),
  error: anthropicError,
  response: (reply, id, model) => anthropicResponse(reply, { id, model }),
  frames: (reply, id, model) => anthropicEvents(reply, { id, model }).map((e) => ({ event: e.event, data: JSON.stringify(e.data) })),
  responseId: (seq) => `msg_scripted${String(seq).padStart(6, "0")}`,
};
