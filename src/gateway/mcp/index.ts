// MCP tools served by the gateway (src/gateway/README.md, "MCP tools").
export { createMcpHub, type McpHub, type McpHubOptions } from "./hub.ts";
export { mcpServersOf, type McpServerConfig, type NodeConfigWithMcp } from "./config.ts";
export { mcpToolName, parseMcpToolName } from "./names.ts";
export type { McpCallOutcome } from "./result.ts";
