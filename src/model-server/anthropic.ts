// The Anthropic Messages wire format: request → Conversation, Reply → message, stream events, errors.
import { z } from "zod";
import type { Conversation, Reply } from "./reply.ts";
import { chunkText } from "./sse.ts";
import { TOOL_NAME_PATTERN } from "./tool-name.ts";

// Anthropic's own wording for a name outside ^[a-zA-Z0-9_-]{1,64}$.
const NAME_MESSAGE = "String should match pattern '^[a-zA-Z0-9_-]{1,64}$'";
const ToolName = z.string().regex(TOOL_NAME_PATTERN, NAME_MESSAGE);

const TextBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const ToolUseBlock = z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() });
const ToolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
  is_error: z.boolean().optional(),
});
const OtherBlock = z.looseObject({ type: z.string().refine((t) => !["text", "tool_use", "tool_result"].includes(t), "malformed content block") });
const Block = z.union([TextBlock, ToolUseBlock, ToolResultBlock, OtherBlock]);

const Message = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(Block)]),
});

const Tool = z.looseObject({
  name: ToolName,
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().optional(),
});

export const AnthropicRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  messages: z.array(Message).min(1),
  tools: z.array(Tool).optional(),
  tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"]), name: ToolName.optional() }).optional(),
  stream: z.boolean().optional(),
}).superRefine((req, ctx) => {
  // As the real API: a tool_result answers a tool_use of the assistant message just before it.
  req.messages.forEach((m, i) => {
    if (typeof m.content === "string") return;
    const previous = req.messages[i - 1];
    const ids = new Set(
      previous?.role === "assistant" && Array.isArray(previous.content) ? previous.content.filter((b) => b.type === "tool_use").map((b) => String(b["id"])) : [],
    );
    m.content.forEach((b, j) => {
      // Checked here, not in the block union, so the error names the field rather than "Invalid input".
      if (b.type === "tool_use" && !TOOL_NAME_PATTERN.test(String(b["name"]))) {
        ctx.addIssue({ code: "custom", path: ["messages", i, "content", j, "name"], message: NAME_MESSAGE });
      }
      if (m.role === "user" && b.type === "tool_result" && !ids.has(String(b["tool_use_id"]))) {
        ctx.addIssue({
          code: "custom",
          path: ["messages", i, "content", j, "tool_use_id"],
          message: `unexpected tool_use_id found in tool_result blocks: ${String(b["tool_use_id"])}. Each tool_result block must have a corresponding tool_use block in the previous message.`,
        });
      }
    });
  });
});
export type AnthropicRequest = z.infer<typeof AnthropicRequest>;

function blockText(block: z.infer<typeof Block>): string {
  if (block.type === "text" && typeof block["text"] === "string") return block["text"];
  if (block.type === "tool_use") return `${String(block["name"])}${JSON.stringify(block["input"] ?? {})}`;
  if (block.type === "tool_result") {
    const content = block["content"];
    if (typeof content === "string") return content;
    if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? "").join("");
  }
  return "";
}

function messageText(message: z.infer<typeof Message>): string {
  return typeof message.content === "string" ? message.content : message.content.map(blockText).join("");
}

/** The format-neutral view of a validated request. */
export function anthropicConversation(req: AnthropicRequest): Conversation {
  const system = typeof req.system === "string" ? req.system : (req.system ?? []).map((b) => b.text).join("");
  const last = [...req.messages].reverse().find((m) => m.role === "user");
  const first = req.messages.find((m) => m.role === "user");
  return {
    model: req.model,
    promptText: [system, ...req.messages.map(messageText)].join("\n"),
    lastText: last === undefined ? "" : messageText(last),
    firstUserText: first === undefined ? "" : messageText(first),
    maxTokens: req.max_tokens,
    stream: req.stream === true,
  };
}

export interface MessageMeta {
  id: string;
  model: string;
}

const STOP_REASONS: Record<Reply["finish"], string> = { stop: "end_turn", tool_calls: "tool_use", length: "max_tokens" };

/** A tool call's input: the parsed arguments, or the raw text when the script made them invalid JSON. */
function toolInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function contentBlocks(reply: Reply): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (reply.text !== undefined) blocks.push({ type: "text", text: reply.text });
  for (const c of reply.toolCalls) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: toolInput(c.arguments) });
  return blocks;
}

/** The `message` object for a non-streaming request. */
export function anthropicResponse(reply: Reply, meta: MessageMeta): Record<string, unknown> {
  return {
    id: meta.id,
    type: "message",
    role: "assistant",
    model: meta.model,
    content: contentBlocks(reply),
    stop_reason: STOP_REASONS[reply.finish],
    stop_sequence: null,
    usage: { input_tokens: reply.usage.input, output_tokens: reply.usage.output },
  };
}

const PIECE = 16;

/** The stream's events in order: each is the SSE `event:` name and its JSON `data`. */
export function anthropicEvents(reply: Reply, meta: MessageMeta): { event: string; data: Record<string, unknown> }[] {
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const emit = (data: Record<string, unknown> & { type: string }): void => void events.push({ event: data.type, data });
  emit({
    type: "message_start",
    message: {
      id: meta.id,
      type: "message",
      role: "assistant",
      model: meta.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: reply.usage.input, output_tokens: 1 },
    },
  });
  let index = 0;
  if (reply.text !== undefined) {
    emit({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const text of chunkText(reply.text, PIECE)) emit({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
    emit({ type: "content_block_stop", index });
    index += 1;
  }
  for (const call of reply.toolCalls) {
    emit({ type: "content_block_start", index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } });
    for (const partial_json of chunkText(call.arguments, PIECE)) emit({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } });
    emit({ type: "content_block_stop", index });
    index += 1;
  }
  emit({ type: "message_delta", delta: { stop_reason: STOP_REASONS[reply.finish], stop_sequence: null }, usage: { output_tokens: reply.usage.output } });
  emit({ type: "message_stop" });
  return events;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/** Anthropic's error body: `{type: "error", error: {type, message}}`. */
export function anthropicError(status: number, message: string): Record<string, unknown> {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message } };
}
