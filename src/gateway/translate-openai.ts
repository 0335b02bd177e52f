// OpenAI chat-completions wire format ↔ the neutral chat (pure).
import type { OpenAIRequest } from "../model-server/openai.ts";
import type { ChatMessage, ChatRequest, ChatResult, ToolChoice, ToolSpec } from "./providers/types.ts";

type Json = Record<string, unknown>;

function contentText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof (p as Json)["text"] === "string" ? String((p as Json)["text"]) : "")).join("");
  return null;
}

/** A validated OpenAI request (what agents send) as the neutral chat, on the given provider model. */
export function fromOpenAIRequest(req: OpenAIRequest, model: string): ChatRequest {
  const messages: ChatMessage[] = req.messages.map((m) => {
    const role = m.role === "developer" ? "system" : m.role;
    const base = { role, content: contentText(m.content) } as const;
    if (role === "assistant" && m.tool_calls !== undefined && m.tool_calls.length > 0) {
      return { ...base, toolCalls: m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) };
    }
    if (role === "tool") return { ...base, toolCallId: m.tool_call_id ?? "" };
    return base;
  });
  const tools: ToolSpec[] = (req.tools ?? []).map((t) => ({
    name: t.function.name,
    ...(t.function.description === undefined ? {} : { description: t.function.description }),
    ...(t.function.parameters === undefined ? {} : { parameters: t.function.parameters }),
  }));
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  const temperature = typeof req["temperature"] === "number" ? req["temperature"] : undefined;
  const choice = req.tool_choice;
  const toolChoice: ToolChoice | undefined = typeof choice === "object" ? { name: choice.function.name } : choice;
  return {
    model, messages, tools,
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
  };
}

/** The neutral chat as an OpenAI request body (what an OpenAI-compatible provider receives). */
export function toOpenAIBody(req: ChatRequest): Json {
  const messages = req.messages.map((m) => {
    const out: Json = { role: m.role, content: m.content };
    if (m.toolCalls !== undefined && m.toolCalls.length > 0) {
      out["tool_calls"] = m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
    }
    if (m.role === "tool") out["tool_call_id"] = m.toolCallId ?? "";
    return out;
  });
  const body: Json = { model: req.model, messages };
  if (req.tools.length > 0) {
    body["tools"] = req.tools.map((t) => ({
      type: "function",
      function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters ?? { type: "object" } },
    }));
    const choice = req.toolChoice;
    if (choice !== undefined) body["tool_choice"] = typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice;
  }
  if (req.maxTokens !== undefined) body["max_tokens"] = req.maxTokens;
  if (req.temperature !== undefined) body["temperature"] = req.temperature;
  return body;
}

const FINISH: Record<string, ChatResult["finish"]> = { stop: "stop", tool_calls: "tool_calls", function_call: "tool_calls", length: "length" };

/** An OpenAI `chat.completion` as the neutral result; throws on a shape that is not one. */
export function fromOpenAIResponse(body: unknown): ChatResult {
  const choice = ((body as Json | null)?.["choices"] as Json[] | undefined)?.[0];
  const message = choice?.["message"] as Json | undefined;
  if (message === undefined) throw new Error("provider answer has no choices[0].message");
  const calls = Array.isArray(message["tool_calls"]) ? (message["tool_calls"] as Json[]) : [];
  const toolCalls = calls.map((c) => {
    const fn = (c["function"] ?? {}) as Json;
    return { id: String(c["id"] ?? ""), name: String(fn["name"] ?? ""), arguments: typeof fn["arguments"] === "string" ? fn["arguments"] : "{}" };
  });
  const usage = ((body as Json)["usage"] ?? {}) as Json;
  const text = typeof message["content"] === "string" ? message["content"] : undefined;
  return {
    text,
    toolCalls,
    finish: FINISH[String(choice?.["finish_reason"])] ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: { input: Number(usage["prompt_tokens"] ?? 0) || 0, output: Number(usage["completion_tokens"] ?? 0) || 0 },
  };
}
