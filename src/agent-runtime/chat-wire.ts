// The OpenAI chat-completions shapes the runtime sends to and reads from the gateway, and the
// tolerant parse of a completion: anything the model (or a proxy) gets wrong becomes a value the
// loop can act on, never an exception.
import { z } from "zod";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
}

/** One model turn as the loop sees it. Tool calls keep whatever the model sent, normalised later. */
export interface ModelTurn {
  text: string;
  finishReason: string;
  /** Raw tool call entries (possibly garbage). */
  toolCalls: unknown[];
}

const completion = z.object({
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({ content: z.unknown().optional(), tool_calls: z.unknown().optional() }),
      }),
    )
    .min(1),
});

/** Pure: the first choice of a completion, or a message saying why the body is not one. */
export function parseCompletion(body: unknown): { ok: true; turn: ModelTurn } | { ok: false; message: string } {
  const parsed = completion.safeParse(body);
  if (!parsed.success) return { ok: false, message: `not a chat completion: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
  const choice = parsed.data.choices[0];
  if (choice === undefined) return { ok: false, message: "not a chat completion: no choice" };
  const { content, tool_calls: toolCalls } = choice.message;
  return {
    ok: true,
    turn: {
      text: textOf(content),
      finishReason: choice.finish_reason ?? "stop",
      toolCalls: Array.isArray(toolCalls) ? toolCalls : toolCalls === undefined || toolCalls === null ? [] : [toolCalls],
    },
  };
}

/** Content may be a string, null, or (some providers) an array of text parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p !== null && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("");
  }
  return "";
}
