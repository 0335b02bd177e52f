/**
 * The model gateway: the HTTP API agent pods call (docs/design/execution-loop.md), served by the
 * operator. See src/gateway/README.md.
 */
export { startGateway, type Gateway, type GatewayOptions } from "./server.ts";
export { createCredentialRegistry, type CredentialRegistry, type ExecutionGrant, type IterationPayload, type Lookup } from "./credentials.ts";
export { createModelResolver, selectModel, turnCost, type ModelResolver, type NodeConfigLike, type ResolverSources, type SecretRef } from "./resolve.ts";
export { kubeResolverSources } from "./kube-sources.ts";
export { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
export { BUILTIN_TOOLS, decideToolCall } from "./tools.ts";
export { authorizeToolCall, revisionLabel, type GatewayPolicies, type PolicyViolation } from "./policy-check.ts";
export type { ToolSpec } from "./providers/types.ts";
export { createGatewayJudge, type GatewayJudgeOptions, type JudgeUsage } from "./judge.ts";
export { decodeToolName, encodeToolName, providerToolName, TOOL_NAME_PATTERN } from "./tool-names.ts";
export { createMcpHub, mcpServersOf, type McpHub, type McpHubOptions, type McpServerConfig } from "./mcp/index.ts";
