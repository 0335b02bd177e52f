// NodeConfig (cluster-scoped): a node role, its tags and resources, runtime and storage settings,
// tool servers and security contexts, and on orchestrator nodes the LLM providers (spec §7).
import { array, boolean, describe, enumOf, integer, map, object, rule, string } from "./builders.ts";
import {
  LABEL_PATTERN, duration, envList, labelSelector, quantity, resourceRequirements, statusOf,
} from "./common.ts";
import { AGE_COLUMN, type KindDefinition } from "./kind.ts";
import { llmProvider, llmSelection } from "./nodeconfig-llm.ts";
import { builtinTools, edge, observability, registryCredentials, seal } from "./nodeconfig-ops.ts";
import { securityContext } from "./security-context.ts";

export const NODE_TYPES = ["Orchestrator", "Edge", "Hybrid"] as const;

const capabilityList = array("Tools the server offers and whether each skips the pre-call judge.", object("A tool.", {
  name: string("Tool name, e.g. fs.read or mcp:github.create_issue.", { maxLength: 128, minLength: 1 }),
  skipJudge: boolean("If true, toolValidation judges are not run for this tool. Default: true for read-only tools, false otherwise."),
}, { required: ["name"] }), 64, { listType: "map", mapKeys: ["name"] });

const mcpServer = object("An MCP tool server the gateway on this node connects to: a command it runs (stdio JSON-RPC), an image, or a streamable-HTTP url. Its credentials never reach agents.", {
  name: string("Server name; agents list it as mcp:<name>.", { pattern: LABEL_PATTERN, maxLength: 63 }),
  enabled: boolean("If false, the server is not started. Default true.", { default: true }),
  image: string("Container image of the server, e.g. ghcr.io/modelcontextprotocol/server-github:1.0.", { maxLength: 512 }),
  command: array("Command, e.g. [npx, -y, @modelcontextprotocol/server-github].", string("An argument.", { maxLength: 4096 }), 32),
  url: string("Streamable-HTTP MCP endpoint the gateway connects to instead of running the server, e.g. https://mcp.example.com/mcp or http://github-mcp.aegis-system:8080/mcp.", {
    format: "uri", pattern: "^https?://", maxLength: 2048,
  }),
  env: envList("Environment of the server, e.g. GITHUB_TOKEN from valueFrom.secretKeyRef (Secrets in the operator's namespace)."),
  capabilities: capabilityList,
  healthCheck: object("Liveness probe over MCP.", {
    interval: duration("Time between checks. Default 60s.", { default: "60s" }),
    timeout: duration("Limit of one check. Default 5s.", { default: "5s" }),
    method: string("JSON-RPC method called. Default tools/list.", { maxLength: 128, default: "tools/list" }),
  }),
  resources: resourceRequirements("CPU and memory of the server process. Default limits: cpu 1, memory 512Mi."),
}, {
  required: ["name"],
  rules: [rule("has(self.image) || has(self.command) || has(self.url)", "an MCP server needs an image, a command or a url", ".command", "FieldValueRequired")],
});

export const nodeConfigKind: KindDefinition = {
  kind: "NodeConfig",
  plural: "nodeconfigs",
  singular: "nodeconfig",
  shortNames: ["nc"],
  scope: "Cluster",
  description:
    "NodeConfig gives a set of nodes a role (Orchestrator runs the gateway and controllers; Edge runs agent pods; Hybrid both), tags that Agents target with spec.placement.tags, runtime and storage settings, tool servers, SEAL security contexts and, on Orchestrator and Hybrid nodes, the LLM providers behind the model aliases.",
  spec: object("Role and settings of the selected nodes.", {
    type: enumOf("Orchestrator, Edge or Hybrid.", NODE_TYPES),
    nodeSelector: describe(labelSelector, "The Kubernetes Nodes this config applies to, e.g. matchLabels {aegis.dev/pool: edge-eu}. Empty selects every node."),
    region: string("Region of the nodes, e.g. eu-west-1; informational and usable as a tag.", { maxLength: 63 }),
    tags: array("Tags Agents target with spec.placement.tags, e.g. [gpu, eu]. Applied to the nodes as labels tag.aegis.dev/<tag>=true.",
      string("A tag.", { pattern: LABEL_PATTERN, maxLength: 63 }), 32, { listType: "set" }),
    resources: object("Capacity advertised for routing, beyond what the kubelet reports.", {
      gpuCount: integer("GPUs per node.", { minimum: 0, maximum: 64 }),
      gpuModel: string("GPU model, e.g. nvidia-l4.", { maxLength: 63 }),
      vram: quantity("GPU memory per GPU, e.g. 24Gi."),
    }),
    runtime: object("How agent pods run on these nodes.", {
      defaultIsolation: enumOf("Sandbox when an Agent says Inherit: Container (default), Process or MicroVM.",
        ["Container", "Process", "MicroVM"], { default: "Container" }),
      imageTag: string("Tag of the agent-runtime image, e.g. v0.4.2. Default: the operator's version.", { maxLength: 128 }),
      runtimeClassName: string("RuntimeClass of agent pods, e.g. gvisor or kata.", { maxLength: 253 }),
      networkIsolated: boolean("If true, agent pods reach only the gateway (a deny-all NetworkPolicy). Default false.", { default: false }),
      maxConcurrentIterations: integer("Most iteration pods per node. Default 8.", { minimum: 1, maximum: 1000, default: 8 }),
    }),
    storage: object("Volume defaults and limits for Volumes served from these nodes.", {
      backend: enumOf("LocalHost (default), SeaweedFS or OpenDAL.", ["LocalHost", "SeaweedFS", "OpenDAL"], { default: "LocalHost" }),
      defaultSize: quantity("Size of a Volume that gives none. Default 1000Mi.", { default: "1000Mi" }),
      maxSize: quantity("Largest Volume allowed. Default 10000Mi.", { default: "10000Mi" }),
      defaultTTL: duration("TTL of an Ephemeral Volume that gives none. Default 24h.", { default: "24h" }),
      gcInterval: duration("How often expired Volumes are collected. Default 60m.", { default: "60m" }),
    }),
    llmProviders: array("LLM providers (Orchestrator and Hybrid only), keyed by name.", llmProvider, 16, {
      listType: "map", mapKeys: ["name"],
    }),
    llmSelection,
    mcpServers: array("MCP tool servers on these nodes, keyed by name.", mcpServer, 32, { listType: "map", mapKeys: ["name"] }),
    securityContexts: array("SEAL security contexts: named capability sets bounding agents' tool calls.", securityContext, 32, {
      listType: "map", mapKeys: ["name"],
    }),
    builtinTools,
    registryCredentials,
    seal,
    observability,
    edge,
    heartbeatInterval: duration("How often nodes report their capacity. Default 30s.", { default: "30s" }),
  }, {
    required: ["type"],
    rules: [
      rule("!has(self.llmProviders) || self.type != 'Edge'", "llmProviders are only allowed on Orchestrator or Hybrid nodes",
        ".llmProviders", "FieldValueForbidden"),
      rule("!has(self.llmSelection) || self.type != 'Edge'", "llmSelection is only allowed on Orchestrator or Hybrid nodes",
        ".llmSelection", "FieldValueForbidden"),
      rule("!has(self.seal) || self.type != 'Edge'", "seal is only allowed on Orchestrator or Hybrid nodes (edge nodes hold no signing key)",
        ".seal", "FieldValueForbidden"),
      rule("!has(self.edge) || self.type != 'Orchestrator'", "edge is only allowed on Edge or Hybrid nodes", ".edge", "FieldValueForbidden"),
      rule("!has(self.llmSelection) || !has(self.llmSelection.defaultProvider) || (has(self.llmProviders) && self.llmProviders.exists(p, p.name == self.llmSelection.defaultProvider))",
        "llmSelection.defaultProvider must name one of llmProviders", ".llmSelection.defaultProvider"),
      rule("!has(self.llmSelection) || !has(self.llmSelection.fallbackProvider) || (has(self.llmProviders) && self.llmProviders.exists(p, p.name == self.llmSelection.fallbackProvider))",
        "llmSelection.fallbackProvider must name one of llmProviders", ".llmSelection.fallbackProvider"),
      rule("!has(self.storage) || quantity(self.storage.defaultSize).compareTo(quantity(self.storage.maxSize)) <= 0",
        "storage.defaultSize cannot exceed storage.maxSize", ".storage.defaultSize"),
    ],
  }),
  status: statusOf("Observed state. Conditions: Ready (settings applied to the matched nodes; providers reachable).", {
    matchedNodes: integer("Nodes the nodeSelector matches.", { minimum: 0 }),
    nodeNames: array("Names of the matched nodes, at most 50.", string("A Node name.", { maxLength: 253 }), 50),
    capacity: map("Total capacity of the matched nodes by resource name, as their kubelets report it, e.g. {cpu: \"8\", memory: 32Gi, pods: \"220\"}.",
      quantity("A quantity, e.g. 8, 500m or 32Gi."), 32),
    readyProviders: array("LLM providers that answered their last check.", string("A provider name.", { maxLength: 63 }), 16),
  }),
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type", description: "Node role." },
    { name: "Tags", type: "string", jsonPath: ".spec.tags", description: "Tags agents target." },
    { name: "Nodes", type: "integer", jsonPath: ".status.matchedNodes", description: "Matched nodes." },
    AGE_COLUMN,
  ],
};
