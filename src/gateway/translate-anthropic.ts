// Anthropic Messages wire format ↔ the neutral chat (pure): system prompt, tool_use/tool_result
// blocks, stop reasons. Consecutive tool messages become one user message of tool_result blocks.
import type { ChatMessage, ChatRequest, ChatResult, ToolChoice } from "./providers/types.ts";

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
    finish: STOP[String(message["stop_reason"])] ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: { input: Number(usage["input_tokens"] ?? 0) || 0, output: Number(usage["output_tokens"] ?? 0) || 0 },
  };
}
