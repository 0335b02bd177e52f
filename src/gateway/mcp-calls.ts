// An allowed `mcp:<server>.<tool>` call, run by the gateway (the MCP client and its credentials
// live here, never in the agent pod) and recorded in history at once with its result.
import type { HistoryStore, JsonValue } from "../history/index.ts";
import type { ExecutionGrant } from "./credentials.ts";
import type { McpCallOutcome, McpHub } from "./mcp/index.ts";

export interface McpCallRequest {
  readonly seq: number;
  readonly name: string;
  readonly arguments: JsonValue;
  /** The policy revision that allowed it (null without policies). */
  readonly policyRevision?: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const asText = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === "string" ? value : JSON.stringify(value);

export async function runMcpToolCall(hub: McpHub | undefined, history: HistoryStore, grant: ExecutionGrant, call: McpCallRequest, signal: AbortSignal): Promise<McpCallOutcome> {
  const startedAt = new Date();
  const started = performance.now();
  const args = call.arguments ?? {};
  const result: McpCallOutcome = hub === undefined
    ? { ok: false, error: "this gateway serves no MCP servers" }
    : !isRecord(args)
      ? { ok: false, error: "arguments of an MCP tool must be a JSON object" }
      : await hub.call(call.name, args, signal);
  await history.recordToolCall({
    executionUid: grant.uid, iteration: grant.iteration, seq: call.seq, toolName: call.name, arguments: call.arguments,
    decision: "allow", policyRevision: call.policyRevision ?? null, resultSummary: result.ok ? asText(result.content) : null, error: result.ok ? null : result.error,
    durationMs: Math.round(performance.now() - started), startedAt, finishedAt: new Date(),
  });
  return result;
}
