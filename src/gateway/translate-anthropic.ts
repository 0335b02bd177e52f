// Anthropic Messages wire format ↔ the neutral chat (pure): system prompt, tool_use/tool_result
// blocks, stop reasons. Consecutive tool messages become one user message of tool_result blocks.
import type { ChatDelta, ChatMessage, ChatRequest, ChatResult, ToolChoice } from "./providers/types.ts";
import type { StreamDecoder } from "./translate-openai.ts";

type Json = Record<string, unknown>;

/** Anthropic requires max_tokens; this is used when the agent gives none. */
export const DEFAULT_MAX_TOKENS = 4096;

function parseInput(args: string): unknown {
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : { value };
  } catch {
    return { _raw: args };
  }
}

function anthropicToolChoice(choice: ToolChoice): Json {
  if (typeof choice === "object") return { type: "tool", name: choice.name };
  return { type: choice === "required" ? "any" : choice };
}

export function toAnthropicBody(req: ChatRequest): Json {
  const system = req.messages.filter((m) => m.role === "system").map((m) => m.content ?? "");
  const messages: Json[] = [];
  for (const m of req.messages) {
    if (m.role === "system") continue;
    if (m.role === "tool") {
      const block = { type: "tool_result", tool_use_id: m.toolCallId ?? "", content: m.content ?? "" };
      const last = messages.at(-1);
      if (last?.["role"] === "user" && Array.isArray(last["content"]) && (last["content"] as Json[]).every((b) => b["type"] === "tool_result")) {
        (last["content"] as Json[]).push(block);
      } else messages.push({ role: "user", content: [block] });
      continue;
    }
    if (m.role === "assistant") {
      const blocks: Json[] = [];
      if (m.content !== null && m.content !== "") blocks.push({ type: "text", text: m.content });
      for (const c of m.toolCalls ?? []) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: parseInput(c.arguments) });
      messages.push({ role: "assistant", content: blocks.length > 0 ? blocks : [{ type: "text", text: "" }] });
      continue;
    }
    messages.push({ role: "user", content: [{ type: "text", text: m.content ?? "" }] });
  }
  const body: Json = { model: req.model, max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, messages };
  if (system.length > 0) body["system"] = system.join("\n\n");
  if (req.tools.length > 0) {
    body["tools"] = req.tools.map((t) => ({
      name: t.name, ...(t.description === undefined ? {} : { description: t.description }), input_schema: t.parameters ?? { type: "object" },
    }));
    if (req.toolChoice !== undefined) body["tool_choice"] = anthropicToolChoice(req.toolChoice);
  }
  if (req.temperature !== undefined) body["temperature"] = req.temperature;
  return body;
}

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((b) => (typeof (b as Json)["text"] === "string" ? String((b as Json)["text"]) : "")).join("");
  return "";
}

/** The reverse of toAnthropicBody (for round-trip checks and for callers speaking Anthropic). */
export function fromAnthropicBody(body: Json): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (typeof body["system"] === "string") out.push({ role: "system", content: body["system"] });
  for (const m of (body["messages"] ?? []) as Json[]) {
    const blocks = typeof m["content"] === "string" ? [{ type: "text", text: m["content"] }] : ((m["content"] ?? []) as Json[]);
    if (m["role"] === "assistant") {
      const text = blocks.filter((b) => b["type"] === "text").map((b) => String(b["text"])).join("");
      const calls = blocks.filter((b) => b["type"] === "tool_use")
        .map((b) => ({ id: String(b["id"]), name: String(b["name"]), arguments: JSON.stringify(b["input"] ?? {}) }));
      out.push(calls.length > 0 ? { role: "assistant", content: text === "" ? null : text, toolCalls: calls } : { role: "assistant", content: text });
      continue;
    }
    const results = blocks.filter((b) => b["type"] === "tool_result");
    if (results.length > 0) {
      for (const b of results) out.push({ role: "tool", content: blockText(b["content"]), toolCallId: String(b["tool_use_id"]) });
    } else out.push({ role: "user", content: blocks.map((b) => (b["type"] === "text" ? String(b["text"]) : "")).join("") });
  }
  return out;
}

const STOP: Record<string, ChatResult["finish"]> = { end_turn: "stop", stop_sequence: "stop", tool_use: "tool_calls", max_tokens: "length", pause_turn: "stop", refusal: "stop" };

const finishOf = (reason: unknown, calls: number): ChatResult["finish"] => STOP[String(reason)] ?? (calls > 0 ? "tool_calls" : "stop");

const tokens = (value: unknown, otherwise: number): number => (value === undefined || value === null ? otherwise : Number(value) || 0);

/** An Anthropic `message` as the neutral result; throws on a shape that is not one. */
export function fromAnthropicResponse(body: unknown): ChatResult {
  const message = body as Json | null;
  if (message === null || typeof message !== "object" || !Array.isArray(message["content"])) throw new Error("provider answer has no content blocks");
  const blocks = message["content"] as Json[];
  const texts = blocks.filter((b) => b["type"] === "text").map((b) => String(b["text"] ?? ""));
  const toolCalls = blocks.filter((b) => b["type"] === "tool_use").map((b) => ({
    id: String(b["id"] ?? ""),
    name: String(b["name"] ?? ""),
    // A raw string input (invalid JSON from the model) is passed on verbatim: the agent sees the error.
    arguments: typeof b["input"] === "string" ? b["input"] : JSON.stringify(b["input"] ?? {}),
  }));
  const usage = (message["usage"] ?? {}) as Json;
  return {
    text: texts.length > 0 ? texts.join("") : undefined,
    toolCalls,
    finish: finishOf(message["stop_reason"], toolCalls.length),
    usage: { input: tokens(usage["input_tokens"], 0), output: tokens(usage["output_tokens"], 0) },
  };
}

/**
 * Anthropic stream events as neutral deltas: text blocks, tool_use blocks (names complete in
 * `content_block_start`, decoded by `fromWire`; a call without input gets "{}", as the non-streaming
 * answer), stop reason and usage (`message_start`, then `message_delta`). Throws on an event that is
 * not JSON and on an `error` event.
 */
export function anthropicStreamDecoder(fromWire: (wire: string) => string): StreamDecoder {
  const tools = new Map<number, { index: number; hasInput: boolean }>();
  let usage = { input: 0, output: 0 };
  let stopped = false;
  return {
    event(e) {
      const out: ChatDelta[] = [];
      const data = JSON.parse(e.data) as Json;
      const at = Number(data["index"] ?? 0);
      switch (data["type"] ?? e.event) {
        case "message_start": {
          const u = (((data["message"] ?? {}) as Json)["usage"] ?? {}) as Json;
          usage = { input: tokens(u["input_tokens"], 0), output: tokens(u["output_tokens"], 0) };
          break;
        }
        case "content_block_start": {
          const block = (data["content_block"] ?? {}) as Json;
          if (block["type"] === "text") out.push({ type: "text", text: String(block["text"] ?? "") });
          if (block["type"] === "tool_use") {
            const call = { index: tools.size, hasInput: false };
            tools.set(at, call);
            out.push({ type: "tool-call", index: call.index, id: String(block["id"] ?? ""), name: fromWire(String(block["name"] ?? "")) });
          }
          break;
        }
        case "content_block_delta": {
          const delta = (data["delta"] ?? {}) as Json;
          const call = tools.get(at);
          if (delta["type"] === "text_delta") out.push({ type: "text", text: String(delta["text"] ?? "") });
          if (delta["type"] === "input_json_delta" && call !== undefined && typeof delta["partial_json"] === "string" && delta["partial_json"] !== "") {
            call.hasInput = true;
            out.push({ type: "tool-arguments", index: call.index, arguments: delta["partial_json"] });
          }
          break;
        }
        case "content_block_stop": {
          const call = tools.get(at);
          if (call?.hasInput === false) out.push({ type: "tool-arguments", index: call.index, arguments: "{}" });
          break;
        }
        case "message_delta": {
          const u = (data["usage"] ?? {}) as Json;
          usage = { input: tokens(u["input_tokens"], usage.input), output: tokens(u["output_tokens"], usage.output) };
          out.push({ type: "finish", finish: finishOf(((data["delta"] ?? {}) as Json)["stop_reason"], tools.size) }, { type: "usage", usage });
          break;
        }
        case "message_stop":
          stopped = true;
          break;
        case "error": {
          const error = (data["error"] ?? {}) as Json;
          throw new Error(`the provider streamed an error: ${String(error["message"] ?? JSON.stringify(error))}`);
        }
        default:
          break;
      }
      return out;
    },
    end() {
      if (!stopped) throw new Error("the stream ended before message_stop");
      return [];
    },
  };
}
