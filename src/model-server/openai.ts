// The OpenAI Chat Completions wire format: request → Conversation, Reply → response, chunks, errors.
import { z } from "zod";
import type { Conversation, Reply } from "./reply.ts";
import { chunkText } from "./sse.ts";
import { TOOL_NAME_PATTERN } from "./tool-name.ts";


const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const Content = z.union([z.string(), z.array(ContentPart), z.null()]).optional();

const Message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: Content,
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), type: z.literal("function"), function: z.looseObject({ name: z.string(), arguments: z.string() }) }))
    .optional(),
});

const Tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});

const ToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

export const OpenAIRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
}).superRefine((req, ctx) => {
  // As the real API: a tool message answers a tool call of the assistant message before it.
  let open = new Set<string>();
  req.messages.forEach((m, i) => {
    if (m.role === "assistant") open = new Set((m.tool_calls ?? []).map((c) => c.id));
    if (m.role !== "tool") return;
    if (m.tool_call_id === undefined || !open.has(m.tool_call_id)) {
      ctx.addIssue({
        code: "custom",
        path: ["messages", i, "tool_call_id"],
        message: `messages with role 'tool' must be a response to a preceding message with 'tool_calls' (no tool call ${JSON.stringify(m.tool_call_id ?? null)})`,
      });
    }
  });
  const choice = req.tool_choice;
  if (typeof choice === "object" && !(req.tools ?? []).some((t) => t.function.name === choice.function.name)) {
    ctx.addIssue({ code: "custom", path: ["tool_choice", "function", "name"], message: `no tool named ${JSON.stringify(choice.function.name)} in tools` });
  }
});
export type OpenAIRequest = z.infer<typeof OpenAIRequest>;

/** OpenAI's own wording for a name outside ^[a-zA-Z0-9_-]{1,64}$. */
function toolNameProblem(name: string): string | undefined {
  if (name.length > 64) return "string too long. Expected a string with maximum length 64.";
  return TOOL_NAME_PATTERN.test(name) ? undefined : "string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.";
}

/**
 * What the real API accepts: also provider-safe tool names in tools, tool_calls and tool_choice.
 * (OpenAIRequest alone is the shape: the gateway's agent-facing API takes fs.write and encodes it.)
 */
export const ProviderOpenAIRequest = OpenAIRequest.superRefine((req, ctx) => {
  const check = (name: string, path: (string | number)[]): void => {
    const message = toolNameProblem(name);
    if (message !== undefined) ctx.addIssue({ code: "custom", path, message });
  };
  (req.tools ?? []).forEach((t, i) => check(t.function.name, ["tools", i, "function", "name"]));
  req.messages.forEach((m, i) => (m.tool_calls ?? []).forEach((c, j) => check(c.function.name, ["messages", i, "tool_calls", j, "function", "name"])));
  if (typeof req.tool_choice === "object") check(req.tool_choice.function.name, ["tool_choice", "function", "name"]);
});

function contentText(content: z.infer<typeof Content>): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? "").join("");
  return "";
}

/** The format-neutral view of a validated request. */
export function openaiConversation(req: OpenAIRequest): Conversation {
  const texts = req.messages.map((m) => contentText(m.content) + (m.tool_calls ?? []).map((c) => c.function.name + c.function.arguments).join(""));
  const last = [...req.messages].reverse().find((m) => m.role === "user" || m.role === "tool");
  const first = req.messages.find((m) => m.role === "user");
  return {
    model: req.model,
    promptText: texts.join("\n"),
    lastText: last === undefined ? "" : contentText(last.content),
    firstUserText: first === undefined ? "" : contentText(first.content),
    maxTokens: req.max_completion_tokens ?? req.max_tokens ?? undefined,
    stream: req.stream === true,
  };
}

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
}

function usageOf(reply: Pick<Reply, "usage">): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output, total_tokens: reply.usage.input + reply.usage.output };
}

/** The `chat.completion` object for a non-streaming request. */
export function openaiResponse(reply: Reply, meta: ResponseMeta): Record<string, unknown> {
  const message: Record<string, unknown> = { role: "assistant", content: reply.text ?? null, refusal: null };
  if (reply.toolCalls.length > 0) {
    message["tool_calls"] = reply.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finish }],
    usage: usageOf(reply),
  };
}

const PIECE = 16;

/** One `chat.completion.chunk` with one choice (`usage: null` on every chunk when usage is asked). */
export function openaiChunk(meta: ResponseMeta, delta: Record<string, unknown>, finish: string | null, includeUsage: boolean): Record<string, unknown> {
  return {
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The last chunk of a stream asked with `stream_options.include_usage`: no choices, the usage. */
export function openaiUsageChunk(meta: ResponseMeta, reply: Pick<Reply, "usage">): Record<string, unknown> {
  return { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model, choices: [], usage: usageOf(reply) };
}

/** The `chat.completion.chunk` objects of a streaming response, in order (the `[DONE]` line is the framer's). */
export function openaiChunks(reply: Reply, meta: ResponseMeta, includeUsage: boolean): Record<string, unknown>[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => openaiChunk(meta, delta, finish, includeUsage);
  const chunks = [chunk({ role: "assistant", content: reply.text === undefined ? null : "", refusal: null })];
  for (const piece of chunkText(reply.text ?? "", PIECE)) chunks.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }));
    for (const piece of chunkText(call.arguments, PIECE)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, reply.finish));
  if (includeUsage) chunks.push(openaiUsageChunk(meta, reply));
  return chunks;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  404: { type: "invalid_request_error", code: "model_not_found" },
  429: { type: "requests", code: "rate_limit_exceeded" },
};

/** OpenAI's error body: `{error: {message, type, param, code}}`. */
export function openaiError(status: number, message: string): Record<string, unknown> {
  const kind = ERROR_TYPES[status] ?? (status >= 500 ? { type: "server_error", code: null } : { type: "invalid_request_error", code: null });
  return { error: { message, type: kind.type, param: null, code: kind.code } };
}
