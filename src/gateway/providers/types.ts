// The provider-neutral chat: what every provider client takes and gives back.

export interface ToolCallOut {
  readonly id: string;
  readonly name: string;
  /** The JSON text of the arguments, as the model produced it. */
  readonly arguments: string;
}

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string | null;
  /** Assistant messages only. */
  readonly toolCalls?: readonly ToolCallOut[];
  /** Tool messages only: the call this answers. */
  readonly toolCallId?: string;
}

export interface ToolSpec {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Record<string, unknown>;
}

/** OpenAI's tool_choice, neutral: Anthropic's auto / any / none / tool. */
export type ToolChoice = "auto" | "none" | "required" | { readonly name: string };

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  readonly toolChoice?: ToolChoice;
  readonly maxTokens?: number;
  readonly temperature?: number;
}

/** Same shape as the scripted model server's Reply, so its OpenAI encoders serve it. */
export interface ChatResult {
  text: string | undefined;
  toolCalls: ToolCallOut[];
  finish: "stop" | "tool_calls" | "length";
  usage: { input: number; output: number };
}

export interface ChatOptions {
  /** Ends the call (and its retries) early; the call then rejects. */
  readonly signal?: AbortSignal;
}

/**
 * One piece of a streamed answer, in the agent's terms (tool names decoded). Tool calls are
 * numbered 0, 1, … in the order they start; a call's `tool-call` comes before its arguments.
 */
export type ChatDelta =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "tool-call"; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: "tool-arguments"; readonly index: number; readonly arguments: string }
  | { readonly type: "finish"; readonly finish: ChatResult["finish"] }
  | { readonly type: "usage"; readonly usage: ChatResult["usage"] };

export interface ProviderClient {
  readonly name: string;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult>;
  /**
   * A streaming call: resolves once the provider accepted it (retries happen before), then yields
   * the answer as it arrives; the iteration throws a ProviderError when the stream breaks or ends
   * before the provider's end marker.
   */
  stream(request: ChatRequest, options?: ChatOptions): Promise<AsyncIterable<ChatDelta>>;
}
