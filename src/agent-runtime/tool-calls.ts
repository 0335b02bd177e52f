// Pure: turning the model's tool calls (possibly garbage) into calls the loop can run, and tool
// results into the messages the model reads.
import type { ToolCall } from "./chat-wire.ts";
import type { GatewayToolResult } from "./gateway-client.ts";
import type { ToolResult } from "./tools/index.ts";

/** A tool call after normalisation: always an id and a name (maybe empty), arguments as text. */
export interface PlannedCall {
  call: ToolCall;
  /** Parsed arguments, or the error the model is told when they are not a JSON object. */
  args: { ok: true; value: Record<string, unknown> } | { ok: false; message: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Normalises one raw tool call entry. Missing ids get a deterministic one (the assistant message
 * the runtime sends back carries it, so the tool message can answer it); a missing name is "".
 */
export function planToolCall(raw: unknown, fallbackId: string): PlannedCall {
  const entry = isRecord(raw) ? raw : {};
  const fn = isRecord(entry.function) ? entry.function : {};
  const id = typeof entry.id === "string" && entry.id !== "" ? entry.id : fallbackId;
  const name = typeof fn.name === "string" ? fn.name : "";
  const rawArgs = fn.arguments;
  const argumentsText = typeof rawArgs === "string" ? rawArgs : rawArgs === undefined ? "" : (JSON.stringify(rawArgs) ?? "");
  return { call: { id, type: "function", function: { name, arguments: argumentsText } }, args: parseArguments(rawArgs) };
}

/** The arguments as an object: JSON text of an object, an object itself, or nothing ({}). */
export function parseArguments(raw: unknown): PlannedCall["args"] {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return { ok: true, value: {} };
  if (isRecord(raw)) return { ok: true, value: raw };
  if (typeof raw !== "string") return { ok: false, message: `arguments must be a JSON object, got ${typeof raw}` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, message: `arguments are not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return isRecord(value) ? { ok: true, value } : { ok: false, message: `arguments must be a JSON object, got ${Array.isArray(value) ? "array" : value === null ? "null" : typeof value}` };
}

/** The tool message content: the tool's content on success, `{ error: { code, message, … } }` otherwise. */
export const toolResultText = (result: ToolResult): string => JSON.stringify(result.ok ? result.content : { error: result.error });

/** A tool error the runtime itself raises (bad arguments, a denied call). */
export const toolError = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

/** The tool message of a tool the gateway ran (MCP): its content, or a ToolFailed error with its message. */
export const gatewayResultText = (result: GatewayToolResult): string =>
  result.ok ? JSON.stringify(result.content) : toolError("ToolFailed", typeof result.error === "string" ? result.error : JSON.stringify(result.error));
