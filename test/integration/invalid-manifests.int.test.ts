// One invalid manifest per rule (schema and CEL), each rejected by the real API server with an
// error that names the offending field. Each row breaks exactly one rule of a valid object.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, deleteNamespace, kubectl } from "../helpers/cluster.ts";
import {
  validAgent, validExecution, validNodeConfig, validSwarm, validVolume, validWorkflow, variant, type Manifest,
} from "../fixtures/aegis.ts";

interface Row {
  rule: string;
  manifest: Manifest;
  /** The field path the error must name. */
  field: string;
  /** Words of the message (the CEL message or the schema error). */
  says: RegExp;
}

const validator = (v: Record<string, unknown>): Manifest =>
  variant(validAgent(), (m) => { m.spec.execution = { validation: [v] }; });

const rows: Row[] = [
  // Agent
  { rule: "runtime: image xor language+version (both)", field: "spec.runtime.image", says: /either runtime.image or runtime.language/,
    manifest: variant(validAgent(), (m) => { m.spec.runtime.image = "ghcr.io/acme/agent:1"; }) },
  { rule: "runtime: image xor language+version (neither)", field: "spec.runtime.image", says: /either runtime.image/,
    manifest: variant(validAgent(), (m) => { m.spec.runtime = { model: "default" }; }) },
  { rule: "runtime: language needs version", field: "spec.runtime.version", says: /must be set together/,
    manifest: variant(validAgent(), (m) => { delete m.spec.runtime.version; }) },
  { rule: "runtime: image needs a repository path", field: "spec.runtime.image", says: /should match/,
    manifest: variant(validAgent(), (m) => { m.spec.runtime = { image: "busybox" }; }) },
  { rule: "task.instruction is required", field: "spec.task.instruction", says: /Required value/,
    manifest: variant(validAgent(), (m) => { m.spec.task = { promptTemplate: "{{input}}" }; }) },
  { rule: "maxIterations at most 20", field: "spec.execution.maxIterations", says: /less than or equal to 20/,
    manifest: variant(validAgent(), (m) => { m.spec.execution = { maxIterations: 21 }; }) },
  { rule: "maxIterations at least 1", field: "spec.execution.maxIterations", says: /greater than or equal to 1/,
    manifest: variant(validAgent(), (m) => { m.spec.execution = { maxIterations: 0 }; }) },
  { rule: "iterationTimeout is a duration", field: "spec.execution.iterationTimeout", says: /should match/,
    manifest: variant(validAgent(), (m) => { m.spec.execution = { iterationTimeout: "10 minutes" }; }) },
  { rule: "validator type is an enum", field: "spec.execution.validation[0].type", says: /Unsupported value/,
    manifest: validator({ type: "exit_code" }) },
  { rule: "Regex validator needs pattern", field: "spec.execution.validation[0].pattern", says: /pattern is required/,
    manifest: validator({ type: "Regex" }) },
  { rule: "JSONSchema validator needs schema", field: "spec.execution.validation[0].schema", says: /schema is required/,
    manifest: validator({ type: "JSONSchema" }) },
  { rule: "Semantic validator needs judgeAgent", field: "spec.execution.validation[0].judgeAgent", says: /judgeAgent is required/,
    manifest: validator({ type: "Semantic", criteria: "good" }) },
  { rule: "Semantic validator needs criteria", field: "spec.execution.validation[0].criteria", says: /criteria is required/,
    manifest: validator({ type: "Semantic", judgeAgent: "judge" }) },
  { rule: "MultiJudge validator needs judges", field: "spec.execution.validation[0].judges", says: /judges is required/,
    manifest: validator({ type: "MultiJudge", criteria: "good" }) },
  { rule: "minJudgesRequired at most the judges", field: "spec.execution.validation[0].minJudgesRequired", says: /cannot exceed/,
    manifest: validator({ type: "MultiJudge", criteria: "good", judges: [{ agent: "a" }], minJudgesRequired: 2 }) },
  { rule: "pattern only on Regex validators", field: "spec.execution.validation[0].pattern", says: /only allowed when type is Regex/,
    manifest: validator({ type: "ExitCode", pattern: "ok" }) },
  { rule: "validator scores are 0..1", field: "spec.execution.validation[0].minScore", says: /less than or equal to 1/,
    manifest: validator({ type: "ExitCode", minScore: 1.5 }) },
  { rule: "toolValidation only Semantic", field: "spec.execution.toolValidation", says: /only accepts validators of type Semantic/,
    manifest: variant(validAgent(), (m) => { m.spec.execution = { toolValidation: [{ type: "ExitCode" }] }; }) },
  { rule: "env: value xor valueFrom", field: "spec.env[0].valueFrom", says: /value or valueFrom, not both/,
    manifest: variant(validAgent(), (m) => {
      m.spec.env = [{ name: "TOKEN", value: "x", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }];
    }) },
  { rule: "env: valueFrom names one source", field: "spec.env[0].valueFrom", says: /exactly one of secretKeyRef or configMapKeyRef/,
    manifest: variant(validAgent(), (m) => { m.spec.env = [{ name: "TOKEN", valueFrom: {} }]; }) },
  { rule: "env: AEGIS_ names are reserved", field: "spec.env", says: /reserved/,
    manifest: variant(validAgent(), (m) => { m.spec.env = [{ name: "AEGIS_EXECUTION_ID", value: "x" }]; }) },
  { rule: "resources are quantities", field: "spec.resources.limits.memory", says: /should match/,
    manifest: variant(validAgent(), (m) => { m.spec.resources = { limits: { memory: "lots" } }; }) },
  { rule: "tools are tool names", field: "spec.tools[0]", says: /should match/,
    manifest: variant(validAgent(), (m) => { m.spec.tools = ["rm -rf /"]; }) },
  { rule: "agent volume: ttl only when Ephemeral", field: "spec.volumes[0].ttl", says: /ttl is only allowed when storageClass is Ephemeral/,
    manifest: variant(validAgent(), (m) => {
      m.spec.volumes = [{ name: "ws", mountPath: "/workspace", storageClass: "Persistent", size: "1Gi", ttl: "1h" }];
    }) },
  { rule: "agent volume: volumeRef xor size", field: "spec.volumes[0].size", says: /either volumeRef/,
    manifest: variant(validAgent(), (m) => { m.spec.volumes = [{ name: "ws", mountPath: "/workspace" }]; }) },
  { rule: "agent volume: under /workspace", field: "spec.volumes[0].mountPath", says: /should match/,
    manifest: variant(validAgent(), (m) => { m.spec.volumes = [{ name: "ws", mountPath: "/etc", volumeRef: "v" }]; }) },
  { rule: "schedule: Cron needs cron", field: "spec.schedule.cron", says: /cron is required/,
    manifest: variant(validAgent(), (m) => { m.spec.schedule = { type: "Cron" }; }) },
  { rule: "context: Text needs content", field: "spec.context[0].content", says: /content is required/,
    manifest: variant(validAgent(), (m) => { m.spec.context = [{ type: "Text" }]; }) },
  { rule: "outputHandler: type names its member", field: "spec.outputHandler.webhook", says: /webhook must be set when, and only when, type is Webhook/,
    manifest: variant(validAgent(), (m) => { m.spec.outputHandler = { type: "Webhook" }; }) },
  // Execution
  { rule: "execution: agentRef xor workflowRef (both)", field: "spec.agentRef", says: /exactly one of agentRef or workflowRef/,
    manifest: variant(validExecution(), (m) => { m.spec.workflowRef = { name: "flow" }; }) },
  { rule: "execution: agentRef xor workflowRef (neither)", field: "spec.agentRef", says: /exactly one of agentRef or workflowRef/,
    manifest: variant(validExecution(), (m) => { m.spec = { maxIterations: 2 }; }) },
  { rule: "execution: maxIterations override 1..20", field: "spec.maxIterations", says: /less than or equal to 20/,
    manifest: variant(validExecution(), (m) => { m.spec.maxIterations = 50; }) },
  // Volume
  { rule: "volume: ttl only when Ephemeral", field: "spec.ttl", says: /ttl is only allowed when storageClass is Ephemeral/,
    manifest: variant(validVolume(), (m) => { m.spec.storageClass = "Persistent"; }) },
  { rule: "volume: size is a quantity", field: "spec.size", says: /should match/,
    manifest: variant(validVolume(), (m) => { m.spec.size = "big"; }) },
  { rule: "volume: storageClass is required", field: "spec.storageClass", says: /Required value/,
    manifest: variant(validVolume(), (m) => { delete m.spec.storageClass; delete m.spec.ttl; }) },
  { rule: "volume: maxFileSize within size", field: "spec.maxFileSize", says: /maxFileSize cannot exceed size/,
    manifest: variant(validVolume(), (m) => { m.spec.maxFileSize = "2Gi"; }) },
  // Workflow
  { rule: "workflow: initialState must exist", field: "spec.initialState", says: /initialState must name one of spec.states/,
    manifest: variant(validWorkflow(), (m) => { m.spec.initialState = "NOPE"; }) },
  { rule: "workflow: transitions target existing states", field: "spec.states", says: /every transition target must name one of spec.states/,
    manifest: variant(validWorkflow(), (m) => { m.spec.states[0].transitions[0].target = "NOWHERE"; }) },
  { rule: "workflow: a terminal state exists", field: "spec.states", says: /at least one state must be terminal/,
    manifest: variant(validWorkflow(), (m) => { m.spec.states[2].transitions = [{ condition: "Always", target: "WORK" }]; }) },
  { rule: "workflow: human states need a prompt", field: "spec.states[1].human.prompt", says: /Required value/,
    manifest: variant(validWorkflow(), (m) => { m.spec.states[1].human = { defaultResponse: "no" }; }) },
  { rule: "workflow: kind Human needs the human member", field: "spec.states[1].human", says: /human must be set when, and only when, kind is Human/,
    manifest: variant(validWorkflow(), (m) => { delete m.spec.states[1].human; }) },
  { rule: "workflow: ScoreAbove needs a threshold", field: "spec.states[0].transitions[0].threshold", says: /threshold is required/,
    manifest: variant(validWorkflow(), (m) => { m.spec.states[0].transitions[0].condition = "ScoreAbove"; }) },
  { rule: "workflow: state names are unique", field: "spec.states[1]", says: /Duplicate value/,
    manifest: variant(validWorkflow(), (m) => { m.spec.states[1].name = "WORK"; }) },
  { rule: "workflow: maxTotalTransitions 1..100", field: "spec.maxTotalTransitions", says: /less than or equal to 100/,
    manifest: variant(validWorkflow(), (m) => { m.spec.maxTotalTransitions = 101; }) },
  // Swarm
  { rule: "swarm: maxConcurrent within maxMembers", field: "spec.limits.maxConcurrent", says: /cannot exceed limits.maxMembers/,
    manifest: variant(validSwarm(), (m) => { m.spec.limits.maxConcurrent = 5; }) },
  { rule: "swarm: replicas within maxMembers", field: "spec.members", says: /more than limits.maxMembers/,
    manifest: variant(validSwarm(), (m) => { m.spec.members[0].replicas = 5; m.spec.limits.maxConcurrent = 4; }) },
  { rule: "swarm: depth at most 3", field: "spec.limits.maxDepth", says: /less than or equal to 3/,
    manifest: variant(validSwarm(), (m) => { m.spec.limits.maxDepth = 4; }) },
  // NodeConfig
  { rule: "nodeconfig: llmProviders only on Orchestrator/Hybrid", field: "spec.llmProviders", says: /only allowed on Orchestrator or Hybrid/,
    manifest: variant(validNodeConfig(), (m) => { m.spec.type = "Edge"; }) },
  { rule: "nodeconfig: model aliases unique", field: "spec.llmProviders[0].models[1]", says: /Duplicate value/,
    manifest: variant(validNodeConfig(), (m) => { m.spec.llmProviders[0].models.push({ alias: "default", model: "gpt-4o-mini" }); }) },
  { rule: "nodeconfig: API key for cloud providers", field: "spec.llmProviders[0].apiKeySecretRef", says: /apiKeySecretRef is required/,
    manifest: variant(validNodeConfig(), (m) => { delete m.spec.llmProviders[0].apiKeySecretRef; }) },
  { rule: "nodeconfig: defaultProvider exists", field: "spec.llmSelection.defaultProvider", says: /must name one of llmProviders/,
    manifest: variant(validNodeConfig(), (m) => { m.spec.llmSelection = { defaultProvider: "nobody" }; }) },
  { rule: "nodeconfig: no signing key on Edge nodes", field: "spec.seal", says: /seal is only allowed on Orchestrator or Hybrid/,
    manifest: variant(validNodeConfig(), (m) => { m.spec.type = "Edge"; delete m.spec.llmProviders; m.spec.seal = { tokenTTL: "1h" }; }) },
  { rule: "nodeconfig: type is an enum", field: "spec.type", says: /Unsupported value/,
    manifest: variant(validNodeConfig(), (m) => { m.spec.type = "edge"; delete m.spec.llmProviders; }) },
];

let namespace: string;
beforeAll(async () => {
  namespace = await createNamespace("invalid");
});
afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

async function apply(manifest: Manifest, dryRun = true): Promise<{ code: number; stderr: string }> {
  const args = ["apply", ...(dryRun ? ["--dry-run=server"] : []), "-f", "-"];
  return kubectl(args, { input: JSON.stringify(manifest), namespace });
}

describe("invalid manifests", () => {
  it("cover at least 20 rules", () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.rule)).size).toBe(rows.length);
  });

  it.each(rows.map((r) => [r.rule, r] as const))("the valid base of %s is accepted", async (_rule, row) => {
    void _rule;
    const bases: Record<string, () => Manifest> = {
      Agent: validAgent, Execution: validExecution, Workflow: validWorkflow, Swarm: validSwarm, Volume: validVolume, NodeConfig: validNodeConfig,
    };
    const result = await apply(bases[row.manifest.kind]!());
    expect(result.stderr).toBe("");
  });

  it.each(rows.map((r) => [r.rule, r] as const))("rejects: %s", async (_rule, row) => {
    const result = await apply(row.manifest);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(row.field);
    expect(result.stderr).toMatch(row.says);
  });
});

describe("rules on updates (transition rules)", () => {
  it.each([
    ["Execution: cancel cannot be undone", variant(validExecution(), (m) => { m.metadata.name = "cancelled"; m.spec.cancel = true; }),
      (m: Manifest) => variant(m, (x) => { x.spec.cancel = false; }), "spec.cancel", /cannot be set back to false/],
    ["Execution: agentRef is immutable", variant(validExecution(), (m) => { m.metadata.name = "pinned"; }),
      (m: Manifest) => variant(m, (x) => { x.spec.agentRef = { name: "other" }; }), "spec.agentRef", /agentRef is immutable/],
    ["Volume: storageClass is immutable", variant(validVolume(), (m) => { m.metadata.name = "fixed-class"; }),
      (m: Manifest) => variant(m, (x) => { x.spec.storageClass = "Persistent"; delete x.spec.ttl; }), "spec.storageClass", /immutable/],
    ["Volume: size cannot shrink", variant(validVolume(), (m) => { m.metadata.name = "no-shrink"; }),
      (m: Manifest) => variant(m, (x) => { x.spec.size = "512Mi"; }), "spec.size", /can grow but not shrink/],
  ] as const)("%s", async (_name, created, update, field, says) => {
    void _name;
    const first = await apply(created, false);
    expect(first.stderr).toBe("");
    const second = await apply(update(created));
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(field);
    expect(second.stderr).toMatch(says);
  });

  it("lets a Volume grow", async () => {
    const created = variant(validVolume(), (m) => { m.metadata.name = "grows"; });
    expect((await apply(created, false)).stderr).toBe("");
    const grown = await apply(variant(created, (x) => { x.spec.size = "2Gi"; }));
    expect(grown.stderr).toBe("");
  });
});
