// One provider request's tool names: every name the request carries (tools, assistant tool calls,
// tool_choice) is sent as providerToolName(name), and the answer's names are mapped back. The
// table is per request because a shortened name (hash) cannot be decoded without it. Pure.
import type { ChatRequest, ChatResult, ToolChoice } from "./providers/types.ts";
import { decodeToolName, providerToolName } from "./tool-names.ts";

export interface ToolNameTable {
  toWire(name: string): string;
  /** The original name; a name the request never carried is decoded, else kept as the model said it. */
  fromWire(wire: string): string;
}

export function toolNameTable(names: Iterable<string>): ToolNameTable {
  const back = new Map<string, string>();
  for (const name of names) {
    const wire = providerToolName(name);
    const other = back.get(wire);
    // Only a 64-bit hash collision between two over-long names could get here.
    if (other !== undefined && other !== name) throw new Error(`tool names ${JSON.stringify(other)} and ${JSON.stringify(name)} have the same provider name ${wire}`);
    back.set(wire, name);
  }
  return {
    toWire: providerToolName,
    fromWire: (wire) => back.get(wire) ?? decodeToolName(wire) ?? wire,
  };
}

function requestNames(req: ChatRequest): string[] {
  const choice = typeof req.toolChoice === "object" ? [req.toolChoice.name] : [];
  return [...req.tools.map((t) => t.name), ...req.messages.flatMap((m) => (m.toolCalls ?? []).map((c) => c.name)), ...choice];
}

/** The request with provider-safe tool names, and the table that maps the answer back. */
export function encodeRequestToolNames(req: ChatRequest): { request: ChatRequest; table: ToolNameTable } {
  const table = toolNameTable(requestNames(req));
  const choice: ToolChoice | undefined = typeof req.toolChoice === "object" ? { name: table.toWire(req.toolChoice.name) } : req.toolChoice;
  const request: ChatRequest = {
    ...req,
    tools: req.tools.map((t) => ({ ...t, name: table.toWire(t.name) })),
    messages: req.messages.map((m) => (m.toolCalls === undefined ? m : { ...m, toolCalls: m.toolCalls.map((c) => ({ ...c, name: table.toWire(c.name) })) })),
    ...(choice === undefined ? {} : { toolChoice: choice }),
  };
  return { request, table };
}

/** The provider's answer with the agent's tool names. */
export function decodeResultToolNames(result: ChatResult, table: ToolNameTable): ChatResult {
  return { ...result, toolCalls: result.toolCalls.map((c) => ({ ...c, name: table.fromWire(c.name) })) };
}
