import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectValidConditions } from "../../test/helpers/conditions.ts";
import { Reason } from "./reasons.ts";
import { DEFAULT_REGISTRY } from "./registry.ts";
import { readAgentSpec, readNodeConfigs } from "./spec.ts";
import { agentStatus, type Observed } from "./status.ts";

const orchestrator = {
  metadata: { name: "orch" },
  spec: {
    type: "Orchestrator", tags: ["eu"],
    llmProviders: [{ name: "anthropic", models: [{ alias: "smart", model: "claude-sonnet-4-5" }, { alias: "default", model: "claude-haiku-4-5" }] }],
    mcpServers: [{ name: "github" }, { name: "off", enabled: false }],
  },
};
const observed = (over: Partial<Observed> = {}): Observed => ({
  registryRef: DEFAULT_REGISTRY,
  registry: { "python-3.12": "ghcr.io/aegis-dev/runtime-python:3.12", "go-1.22": "bad image" },
  nodeConfigs: readNodeConfigs([orchestrator]),
  volumes: new Set(["shared"]),
  ...over,
});
const agent = (over: Record<string, unknown> = {}, runtime: Record<string, unknown> = { language: "python", version: "3.12" }) =>
  ({ runtime: { model: "smart", ...runtime }, task: { instruction: "Say hello." }, ...over });

describe("agentStatus", () => {
  it.each([
    { reason: "a language+version in the registry and a known alias resolve", spec: agent(), obs: observed(), want: ["True", "True", Reason.Resolved] },
    { reason: "an explicit image needs no registry", spec: agent({}, { image: "ghcr.io/acme/agent:1" }), obs: observed({ registry: undefined }), want: ["True", "True", Reason.Resolved] },
    { reason: "image and language together are inconsistent", spec: agent({}, { image: "a/b", language: "python", version: "3.12" }), obs: observed(), want: ["False", "False", Reason.InvalidRuntime] },
    { reason: "language without version is inconsistent", spec: agent({}, { language: "python" }), obs: observed(), want: ["False", "False", Reason.InvalidRuntime] },
    { reason: "a volume with both volumeRef and size is inconsistent", spec: agent({ volumes: [{ name: "w", mountPath: "/workspace", volumeRef: "shared", size: "1Gi" }] }), obs: observed(), want: ["False", "False", Reason.InvalidVolume] },
    {
      reason: "two volumes on one mount path are inconsistent",
      spec: agent({ volumes: [{ name: "a", mountPath: "/workspace", size: "1Gi" }, { name: "b", mountPath: "/workspace", size: "1Gi" }] }), obs: observed(), want: ["False", "False", Reason.InvalidVolume],
    },
    { reason: "a spec without a task is invalid", spec: { runtime: { image: "a/b" } }, obs: observed(), want: ["False", "False", Reason.InvalidSpec] },
    { reason: "a missing registry ConfigMap", spec: agent(), obs: observed({ registry: undefined }), want: ["True", "False", Reason.RegistryMissing] },
    { reason: "a version the registry lacks", spec: agent({}, { language: "python", version: "2.7" }), obs: observed(), want: ["True", "False", Reason.UnknownLanguageVersion] },
    { reason: "a registry entry that is no image", spec: agent({}, { language: "go", version: "1.22" }), obs: observed(), want: ["True", "False", Reason.RegistryEntryInvalid] },
    { reason: "no orchestrator NodeConfig at all", spec: agent(), obs: observed({ nodeConfigs: [] }), want: ["True", "False", Reason.NoOrchestrator] },
    {
      reason: "an edge NodeConfig is no orchestrator",
      spec: agent(), obs: observed({ nodeConfigs: readNodeConfigs([{ metadata: { name: "e" }, spec: { type: "Edge" } }]) }), want: ["True", "False", Reason.NoOrchestrator],
    },
    { reason: "an alias no provider offers", spec: agent({}, { language: "python", version: "3.12", model: "judge" }), obs: observed(), want: ["True", "False", Reason.ModelAliasUnknown] },
    { reason: "a volumeRef to a missing Volume", spec: agent({ volumes: [{ name: "w", mountPath: "/workspace", volumeRef: "gone" }] }), obs: observed(), want: ["True", "False", Reason.VolumeMissing] },
    { reason: "a volumeRef to an existing Volume", spec: agent({ volumes: [{ name: "w", mountPath: "/workspace", volumeRef: "shared" }] }), obs: observed(), want: ["True", "True", Reason.Resolved] },
    { reason: "an MCP tool of a known server", spec: agent({ tools: ["fs.read", "mcp:github", "mcp:github.create_issue"] }), obs: observed(), want: ["True", "True", Reason.Resolved] },
    { reason: "an MCP tool of a disabled server", spec: agent({ tools: ["mcp:off"] }), obs: observed(), want: ["True", "False", Reason.ToolServerUnknown] },
    { reason: "a placement tag no NodeConfig carries", spec: agent({ placement: { tags: ["gpu"] } }), obs: observed(), want: ["True", "False", Reason.PlacementTagUnknown] },
    { reason: "the runtime is checked before the model", spec: agent(), obs: observed({ registry: undefined, nodeConfigs: [] }), want: ["True", "False", Reason.RegistryMissing] },
  ])("$reason", ({ spec, obs, want }) => {
    const { conditions } = agentStatus(readAgentSpec(spec), obs);
    expect([conditions[0]?.status, conditions[1]?.status, conditions[1]?.reason]).toEqual(want);
  });

  it("reports the resolved image, model and provider, and only what resolved", () => {
    expect(agentStatus(readAgentSpec(agent()), observed()).fields).toEqual({ image: "ghcr.io/aegis-dev/runtime-python:3.12", model: "claude-sonnet-4-5", provider: "anthropic" });
    expect(agentStatus(readAgentSpec(agent()), observed({ nodeConfigs: [] })).fields).toEqual({ image: "ghcr.io/aegis-dev/runtime-python:3.12", model: undefined, provider: undefined });
  });

  it("never throws and always yields valid Accepted and Ready conditions, whatever the specs", () => {
    const runtime = fc.record({
      image: fc.string(), language: fc.constantFrom("python", "go", "cobol"), version: fc.constantFrom("3.12", "1.22", ""), model: fc.string(),
    }, { requiredKeys: [] });
    const specs = fc.oneof(fc.jsonValue(), fc.record({
      runtime, task: fc.record({ instruction: fc.string() }), tools: fc.array(fc.string()),
      volumes: fc.array(fc.record({ name: fc.string(), mountPath: fc.string(), volumeRef: fc.string(), size: fc.string() }, { requiredKeys: [] })),
      placement: fc.record({ tags: fc.array(fc.string()) }),
    }, { requiredKeys: [] }));
    const nodeConfigs = fc.array(fc.record({ metadata: fc.record({ name: fc.string() }), spec: fc.jsonValue() }), { maxLength: 3 });
    const registry = fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined });
    fc.assert(fc.property(specs, nodeConfigs, registry, (spec, ncs, data) => {
      const { conditions } = agentStatus(readAgentSpec(spec), observed({ nodeConfigs: readNodeConfigs(ncs), registry: data }));
      expectValidConditions(conditions, ["Accepted", "Ready"]);
    }), { numRuns: 500 });
  });
});
