// Pure: the names agents see for MCP tools (`mcp:<server>.<tool>`) and which servers an agent's
// spec.tools patterns can reach at all (so the hub never connects to a server nobody asked for).
export const MCP_PREFIX = "mcp:";

export const mcpToolName = (server: string, tool: string): string => `${MCP_PREFIX}${server}.${tool}`;

/** `mcp:github.get_file` → {server: github, tool: get_file}; the tool may contain dots. */
export function parseMcpToolName(name: string): { server: string; tool: string } | undefined {
  if (!name.startsWith(MCP_PREFIX)) return undefined;
  const rest = name.slice(MCP_PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return { server: rest.slice(0, dot), tool: rest.slice(dot + 1) };
}

/**
 * Whether some pattern could allow a tool of `server` (toolAllowed in ../tools.ts decides each
 * tool): `mcp:server`, `mcp:server.tool`, or a prefix wildcard covering `mcp:server.`.
 */
export function patternsReachServer(server: string, patterns: readonly string[]): boolean {
  const head = `${MCP_PREFIX}${server}.`;
  return patterns.some((p) => p === `${MCP_PREFIX}${server}` || p.startsWith(head) || (p.endsWith(".*") && head.startsWith(p.slice(0, -1))));
}
