// OpenAI chat-completions wire format ↔ the neutral chat (pure).
import type { OpenAIRequest } from "../model-server/openai.ts";
import type { SseEvent } from "../model-server/sse.ts";
import type { ChatDelta, ChatMessage, ChatRequest, ChatResult, ToolChoice, ToolSpec } from "./providers/types.ts";

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

const finishOf = (reason: unknown, calls: number): ChatResult["finish"] => FINISH[String(reason)] ?? (calls > 0 ? "tool_calls" : "stop");

const usageOf = (usage: Json): ChatResult["usage"] => ({ input: Number(usage["prompt_tokens"] ?? 0) || 0, output: Number(usage["completion_tokens"] ?? 0) || 0 });

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
  const text = typeof message["content"] === "string" ? message["content"] : undefined;
  return { text, toolCalls, finish: finishOf(choice?.["finish_reason"], toolCalls.length), usage: usageOf(((body as Json)["usage"] ?? {}) as Json) };
}

/** A provider stream's events, read in order, as the neutral deltas; `end` throws when the stream was not finished. */
export interface StreamDecoder {
  event(event: SseEvent): ChatDelta[];
  end(): ChatDelta[];
}

interface PendingCall { readonly index: number; id: string; name: string; started: boolean }

/**
 * `chat.completion.chunk` events (`stream_options.include_usage` asked) as neutral deltas. A tool
 * call's name may come in pieces: it is decoded (`fromWire`) and given once complete, i.e. when
 * the call's arguments start, another call starts, or the answer finishes. Throws on a chunk that
 * is not JSON and on an error the provider streams.
 */
export function openaiStreamDecoder(fromWire: (wire: string) => string): StreamDecoder {
  const calls = new Map<number, PendingCall>();
  let done = false;
  const start = (c: PendingCall, out: ChatDelta[]): void => {
    if (c.started) return;
    c.started = true;
    out.push({ type: "tool-call", index: c.index, id: c.id, name: fromWire(c.name) });
  };
  const startAll = (out: ChatDelta[]): void => calls.forEach((c) => start(c, out));
  return {
    event(e) {
      const out: ChatDelta[] = [];
      if (done) return out;
      if (e.data.trim() === "[DONE]") {
        done = true;
        startAll(out);
        return out;
      }
      const chunk = JSON.parse(e.data) as Json;
      const error = chunk["error"] as Json | undefined;
      if (error !== undefined && error !== null) throw new Error(`the provider streamed an error: ${String(error["message"] ?? JSON.stringify(error))}`);
      const choice = (chunk["choices"] as Json[] | undefined)?.[0];
      const delta = (choice?.["delta"] ?? {}) as Json;
      if (typeof delta["content"] === "string") out.push({ type: "text", text: delta["content"] });
      for (const d of Array.isArray(delta["tool_calls"]) ? (delta["tool_calls"] as Json[]) : []) {
        const key = Number(d["index"] ?? 0);
        let call = calls.get(key);
        if (call === undefined) {
          startAll(out); // the calls before it are complete
          call = { index: calls.size, id: "", name: "", started: false };
          calls.set(key, call);
        }
        const fn = (d["function"] ?? {}) as Json;
        if (typeof d["id"] === "string" && !call.started) call.id = d["id"];
        if (typeof fn["name"] === "string" && !call.started) call.name += fn["name"];
        if (typeof fn["arguments"] === "string" && fn["arguments"] !== "") {
          start(call, out);
          out.push({ type: "tool-arguments", index: call.index, arguments: fn["arguments"] });
        }
      }
      if (typeof choice?.["finish_reason"] === "string") {
        startAll(out);
        out.push({ type: "finish", finish: finishOf(choice["finish_reason"], calls.size) });
      }
      const usage = chunk["usage"];
      if (typeof usage === "object" && usage !== null) out.push({ type: "usage", usage: usageOf(usage as Json) });
      return out;
    },
    end() {
      if (!done) throw new Error("the stream ended before data: [DONE]");
      return [];
    },
  };
}
