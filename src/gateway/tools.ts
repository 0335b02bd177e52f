// The tool-call decision until SEAL/Cedar (issue 5): declared or builtin tools are allowed.

export const BUILTIN_TOOLS: ReadonlySet<string> = new Set(["fs.read", "fs.write", "fs.list", "fs.edit", "fs.create_dir", "fs.delete", "cmd.run"]);

export type ToolDecision = { decision: "allow" } | { decision: "deny"; code: "ToolNotAllowed"; message: string };

export function decideToolCall(name: string, declared: readonly { name: string }[]): ToolDecision {
  if (BUILTIN_TOOLS.has(name) || declared.some((t) => t.name === name)) return { decision: "allow" };
  return { decision: "deny", code: "ToolNotAllowed", message: `tool "${name}" is not among the agent's tools` };
}
