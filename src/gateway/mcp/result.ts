// Pure: an MCP tools/call answer (or the error the call threw) → what the agent's model reads.
// Text blocks become the text; other blocks a short placeholder (no base64 blobs in a prompt);
// `isError` and failures become { ok: false, error } with a message that says what happened.
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

export type McpCallOutcome = { readonly ok: true; readonly content: unknown } | { readonly ok: false; readonly error: string };

type Block = Record<string, unknown>;
const isRecord = (v: unknown): v is Block => v !== null && typeof v === "object" && !Array.isArray(v);

function blockText(block: Block): string {
  const type = String(block["type"]);
  if (type === "text") return String(block["text"] ?? "");
  if (type === "image" || type === "audio") {
    const bytes = Math.floor((String(block["data"] ?? "").length * 3) / 4);
    return `[${type} ${String(block["mimeType"] ?? "")}, ${bytes} bytes, not shown]`;
  }
  if (type === "resource" && isRecord(block["resource"])) {
    const r = block["resource"];
    return typeof r["text"] === "string" ? r["text"] : `[resource ${String(r["uri"] ?? "")}, binary, not shown]`;
  }
  if (type === "resource_link") return `[resource ${String(block["uri"] ?? "")}]`;
  return `[${type} content, not shown]`;
}

/** The answer of tools/call as an outcome. */
export function callOutcome(result: unknown): McpCallOutcome {
  if (!isRecord(result)) return { ok: false, error: "the MCP server answered tools/call without a result" };
  // Servers of protocol 2024-10-07 answer { toolResult }.
  if ("toolResult" in result && !("content" in result)) return { ok: true, content: result["toolResult"] };
  const blocks = Array.isArray(result["content"]) ? result["content"].filter(isRecord) : [];
  const text = blocks.map(blockText).join("\n");
  if (result["isError"] === true) return { ok: false, error: text === "" ? "the MCP tool reported an error without a message" : text };
  if (blocks.length === 0 && result["structuredContent"] !== undefined) return { ok: true, content: result["structuredContent"] };
  return { ok: true, content: text };
}

/** Whether a thrown error means the connection is unusable (reconnect), not a refusal by a live server. */
export const isConnectionFailure = (error: unknown): boolean =>
  !(error instanceof McpError) || error.code === ErrorCode.ConnectionClosed;

/** The message of a failed call, for the model and history; `timeoutMs` names the limit a timeout hit. */
export function failureMessage(server: string, error: unknown, timeoutMs: number): string {
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return `MCP server "${server}" did not answer within ${timeoutMs} ms`;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `MCP server "${server}" failed: ${message}${cause}`;
}
