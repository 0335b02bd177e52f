// Client side of the streams: rebuilds the non-streaming response from parsed SSE events, as an SDK does.
// Used by the tests and by anyone who wants to check a stream against its non-streaming twin.
import type { SseEvent } from "./sse.ts";

type Json = Record<string, unknown>;

interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/** Rebuilds a `chat.completion` from `chat.completion.chunk` events; throws if the stream did not end with [DONE]. */
export function reassembleOpenAI(events: SseEvent[]): Json {
  const last = events.at(-1);
  if (last?.data !== "[DONE]") throw new Error("stream ended without data: [DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Json);
  const first = chunks[0];
  if (first === undefined) throw new Error("stream has no chunks");
  let content: string | null = null;
  let finish: unknown = null;
  let usage: unknown = undefined;
  const calls: { id: string; type: string; function: { name: string; arguments: string } }[] = [];
  for (const chunk of chunks) {
    if (chunk["object"] !== "chat.completion.chunk") throw new Error(`not a chunk: ${JSON.stringify(chunk)}`);
    if (chunk["usage"] !== null && chunk["usage"] !== undefined) usage = chunk["usage"];
    const choice = (chunk["choices"] as Json[])[0];
    if (choice === undefined) continue;
    const delta = choice["delta"] as { content?: string | null; tool_calls?: OpenAIToolCallDelta[] };
    if (typeof delta.content === "string") content = (content ?? "") + delta.content;
    for (const d of delta.tool_calls ?? []) {
      const call = (calls[d.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
      if (d.id !== undefined) call.id = d.id;
      if (d.function?.name !== undefined) call.function.name += d.function.name;
      if (d.function?.arguments !== undefined) call.function.arguments += d.function.arguments;
    }
    if (choice["finish_reason"] !== null) finish = choice["finish_reason"];
  }
  const message: Json = { role: "assistant", content, refusal: null };
  if (calls.length > 0) message["tool_calls"] = calls;
  const out: Json = {
    id: first["id"],
    object: "chat.completion",
    created: first["created"],
    model: first["model"],
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
  };
  if (usage !== undefined) out["usage"] = usage;
  return out;
}

/** Rebuilds a `message` from Anthropic stream events; throws if the stream did not end with message_stop. */
export function reassembleAnthropic(events: SseEvent[]): Json {
  if (events.at(-1)?.event !== "message_stop") throw new Error("stream ended without message_stop");
  let message: Json | undefined;
  const blocks: Json[] = [];
  const partial = new Map<number, string>();
  for (const e of events) {
    const data = JSON.parse(e.data) as Json;
    if (data["type"] !== e.event) throw new Error(`event ${e.event} carries type ${String(data["type"])}`);
    const index = data["index"] as number;
    switch (e.event) {
      case "message_start":
        message = { ...(data["message"] as Json) };
        break;
      case "content_block_start":
        blocks[index] = { ...(data["content_block"] as Json) };
        break;
      case "content_block_delta": {
        const delta = data["delta"] as { type: string; text?: string; partial_json?: string };
        const block = blocks[index];
        if (block === undefined) throw new Error(`delta for unopened block ${index}`);
        if (delta.type === "text_delta") block["text"] = String(block["text"]) + (delta.text ?? "");
        else if (delta.type === "input_json_delta") partial.set(index, (partial.get(index) ?? "") + (delta.partial_json ?? ""));
        break;
      }
      case "content_block_stop": {
        const block = blocks[index];
        const json = partial.get(index);
        if (block?.["type"] === "tool_use" && json !== undefined && json !== "") {
          try {
            block["input"] = JSON.parse(json);
          } catch {
            block["input"] = json;
          }
        }
        break;
      }
      case "message_delta": {
        if (message === undefined) throw new Error("message_delta before message_start");
        Object.assign(message, data["delta"] as Json);
        message["usage"] = { ...(message["usage"] as Json), ...(data["usage"] as Json) };
        break;
      }
      default:
        break;
    }
  }
  if (message === undefined) throw new Error("stream has no message_start");
  return { ...message, content: blocks };
}
