// The format-neutral request (Conversation) and answer (Reply), and the pure step between them.
import { createHash } from "node:crypto";
import type { ScriptTurn } from "./script.ts";

/** What the server needs from a request, whatever its wire format. */
export interface Conversation {
  model: string;
  /** Every text of the request (system, messages, tool results), for the token estimate. */
  promptText: string;
  /** The text of the last user or tool message: what a turn's `match` looks at. */
  lastText: string;
  /** The text of the first user message: names the conversation when no header does. */
  firstUserText: string;
  maxTokens: number | undefined;
  stream: boolean;
}

export interface ReplyToolCall {
  id: string;
  name: string;
  /** The JSON text of the arguments (invalid JSON when the script says so). */
  arguments: string;
}

export interface Reply {
  text: string | undefined;
  toolCalls: ReplyToolCall[];
  finish: "stop" | "tool_calls" | "length";
  usage: { input: number; output: number };
}

/** A simple deterministic estimate: one token per four characters, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A deterministic id from the conversation, the turn and the position of the call. */
export function toolCallId(prefix: string, conversation: string, turnIndex: number, position: number): string {
  const digest = createHash("sha256").update(`${conversation}\n${turnIndex}\n${position}`).digest("hex");
  return `${prefix}${digest.slice(0, 24)}`;
}

export interface ReplyContext {
  conversation: Conversation;
  conversationKey: string;
  turnIndex: number;
  idPrefix: string;
}

/** Builds the answer to one request from one scripted turn. */
export function buildReply(turn: ScriptTurn, ctx: ReplyContext): Reply {
  let text = turn.text;
  let toolCalls: ReplyToolCall[] = (turn.toolCalls ?? []).map((call, k) => ({
    id: call.id ?? toolCallId(ctx.idPrefix, ctx.conversationKey, ctx.turnIndex, k),
    name: call.name,
    arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}),
  }));
  let output = turn.usage?.output ?? estimateTokens((text ?? "") + toolCalls.map((c) => c.name + c.arguments).join(""));
  let finish: Reply["finish"] = turn.finish ?? (toolCalls.length > 0 ? "tool_calls" : "stop");
  const max = ctx.conversation.maxTokens;
  if (max !== undefined && output > max) {
    text = (text ?? "").slice(0, max * 4);
    toolCalls = [];
    output = max;
    finish = "length";
  }
  const input = turn.usage?.input ?? estimateTokens(ctx.conversation.promptText);
  return { text, toolCalls, finish, usage: { input, output } };
}
