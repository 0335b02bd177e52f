// The builtin tools of the agent runtime: registry, context, results. See docs/agent-tools.md.
export { BUILTIN_TOOLS, createBuiltinRegistry, FS_TOOLS } from "./builtin.ts";
export { createToolContext, DEFAULT_ENV_ALLOWLIST, DEFAULT_LIMITS, DEFAULT_MOUNT_PATH } from "./context.ts";
export type { ToolContext, ToolContextOptions, ToolLimits } from "./context.ts";
export { createToolRegistry, defineTool } from "./registry.ts";
export type { Tool, ToolRegistry, ToolSpec } from "./registry.ts";
export { TOOL_ERROR_CODES } from "./result.ts";
export type { ToolError, ToolErrorCode, ToolFailure, ToolResult, ToolSuccess } from "./result.ts";
