// Which tools an iteration may call, from the agent's spec.tools patterns: exact names
// (`fs.read`), prefix wildcards (`fs.*`) and MCP servers (`mcp:github` covers every
// `mcp:github.<tool>`). Nothing declared means no tools: an agent gets only what it asked for.
// Cedar (policy-check.ts, docs/policy.md) narrows this further.
import { createBuiltinRegistry } from "../agent-runtime/tools/index.ts";
import type { ToolSpec } from "./providers/types.ts";

export type ToolDecision = { decision: "allow" } | { decision: "deny"; code: "ToolNotAllowed"; message: string };

const builtins = createBuiltinRegistry();

/** The builtin tool names of the agent runtime. */
export const BUILTIN_TOOLS: ReadonlySet<string> = new Set(builtins.names());

export function matchesToolPattern(name: string, pattern: string): boolean {
  if (pattern === name) return true;
  if (pattern.endsWith(".*")) return name.startsWith(pattern.slice(0, -1));
  // `mcp:server` names the whole server; `mcp:server.tool` one of its tools.
  return pattern.startsWith("mcp:") && !pattern.includes(".") && name.startsWith(`${pattern}.`);
}

export const toolAllowed = (name: string, patterns: readonly string[]): boolean => patterns.some((p) => matchesToolPattern(name, p));

export function decideToolCall(name: string, patterns: readonly string[]): ToolDecision {
  if (toolAllowed(name, patterns)) return { decision: "allow" };
  return { decision: "deny", code: "ToolNotAllowed", message: `tool "${name}" is not among the agent's tools (spec.tools)` };
}

/** The builtin tools the patterns allow, as the model is shown them. */
export const builtinToolSpecs = (patterns: readonly string[]): ToolSpec[] =>
  builtins.specs().filter((spec) => toolAllowed(spec.name, patterns));
