// A streamed answer on the gateway's side (pure): the neutral deltas as the agent's
// `chat.completion.chunk` objects, and the same deltas collected into the whole answer (history,
// accounting). The finish and usage chunks are given only at the end, once the answer is recorded.
import { openaiChunk, openaiUsageChunk, type ResponseMeta } from "../model-server/openai.ts";
import type { ChatDelta, ChatResult } from "./providers/types.ts";

type Chunk = Record<string, unknown>;

export interface ChatCollector {
  add(delta: ChatDelta): void;
  /** The answer so far, as the non-streaming call would have given it. */
  result(): ChatResult;
}

export function createChatCollector(): ChatCollector {
  let text: string | undefined;
  const calls: { id: string; name: string; arguments: string }[] = [];
  let finish: ChatResult["finish"] | undefined;
  let usage = { input: 0, output: 0 };
  return {
    add(d) {
      if (d.type === "text") text = (text ?? "") + d.text;
      else if (d.type === "tool-call") calls[d.index] = { id: d.id, name: d.name, arguments: "" };
      else if (d.type === "tool-arguments") {
        const call = calls[d.index];
        if (call !== undefined) call.arguments += d.arguments;
      } else if (d.type === "finish") finish = d.finish;
      else usage = d.usage;
    },
    result() {
      const toolCalls = calls.filter((c) => c !== undefined).map((c) => ({ ...c }));
      return { text, toolCalls, finish: finish ?? (toolCalls.length > 0 ? "tool_calls" : "stop"), usage: { ...usage } };
    },
  };
}

export interface AgentChunks {
  /** The chunks a delta makes (none for finish and usage, which wait for `end`). */
  push(delta: ChatDelta): Chunk[];
  /** The last chunks: the role (if nothing came), the finish reason, the usage when asked. */
  end(result: ChatResult): Chunk[];
}

/**
 * The agent's chunks, shaped as the non-streaming answer's: the first chunk carries the role and
 * `content: ""` when the answer starts with text, `null` when it starts with a tool call, so the
 * reassembled stream equals the non-streaming answer.
 */
export function createAgentChunks(meta: ResponseMeta, includeUsage: boolean): AgentChunks {
  let opened = false;
  const chunk = (delta: Chunk, finish: string | null = null): Chunk => openaiChunk(meta, delta, finish, includeUsage);
  const open = (content: string | null): Chunk[] => {
    if (opened) return [];
    opened = true;
    return [chunk({ role: "assistant", content, refusal: null })];
  };
  return {
    push(d) {
      if (d.type === "text") return [...open(""), ...(d.text === "" ? [] : [chunk({ content: d.text })])];
      if (d.type === "tool-call") {
        return [...open(null), chunk({ tool_calls: [{ index: d.index, id: d.id, type: "function", function: { name: d.name, arguments: "" } }] })];
      }
      if (d.type === "tool-arguments") return [chunk({ tool_calls: [{ index: d.index, function: { arguments: d.arguments } }] })];
      return [];
    },
    end(result) {
      return [...open(result.text === undefined ? null : ""), chunk({}, result.finish), ...(includeUsage ? [openaiUsageChunk(meta, result)] : [])];
    },
  };
}
