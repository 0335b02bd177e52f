import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectValidConditions } from "../../test/helpers/conditions.ts";
import { Reason } from "./reasons.ts";
import { readSpec } from "./spec.ts";
import { nodeConfigStatus, type Observed } from "./status.ts";

const provider = (name: string, aliases: string[], extra: Record<string, unknown> = {}) => ({
  name, type: "openai", apiKeySecretRef: { namespace: "aegis-system", name: "llm-keys", key: name },
  models: aliases.map((alias) => ({ alias, model: `${name}-${alias}` })), ...extra,
});
const orchestrator = (providers: unknown[]) => ({ type: "Orchestrator", tags: ["eu"], llmProviders: providers });
const observed = (over: Partial<Observed> = {}): Observed => ({
  nodes: ["n1"],
  capacity: { cpu: "2" },
  secrets: new Map([["aegis-system/llm-keys", { state: "found", keys: ["anthropic", "openai"] }]]),
  ...over,
});

const unreadable = (reason: string): Observed["secrets"] => new Map([["aegis-system/llm-keys", { state: "unreadable", reason }]]);

describe("nodeConfigStatus", () => {
  it.each([
    { reason: "an edge config with a matched node is ready", spec: { type: "Edge" }, obs: observed(), want: ["True", Reason.NodesSelected] },
    { reason: "an orchestrator whose provider keys exist is ready", spec: orchestrator([provider("openai", ["default"])]), obs: observed(), want: ["True", Reason.NodesSelected] },
    { reason: "no node matched", spec: { type: "Edge" }, obs: observed({ nodes: [] }), want: ["False", Reason.NoNodesMatched] },
    { reason: "an orchestrator without providers serves nothing", spec: orchestrator([]), obs: observed(), want: ["False", Reason.NoProviders] },
    { reason: "disabled providers do not count", spec: orchestrator([provider("openai", ["default"], { enabled: false })]), obs: observed(), want: ["False", Reason.NoProviders] },
    { reason: "a Hybrid without providers is not an orchestrator", spec: { type: "Hybrid" }, obs: observed(), want: ["True", Reason.NodesSelected] },
    {
      reason: "two providers offering one alias are ambiguous",
      spec: orchestrator([provider("openai", ["default"]), provider("anthropic", ["smart", "default"])]), obs: observed(), want: ["False", Reason.DuplicateModelAlias],
    },
    {
      reason: "a missing Secret is reported before the nodes",
      spec: orchestrator([provider("openai", ["default"])]), obs: observed({ nodes: [], secrets: new Map() }), want: ["False", Reason.ProviderSecretMissing],
    },
    {
      reason: "a Secret that was not found",
      spec: orchestrator([provider("openai", ["default"])]), obs: observed({ secrets: new Map([["aegis-system/llm-keys", { state: "notFound" }]]) }), want: ["False", Reason.ProviderSecretMissing],
    },
    {
      reason: "a Secret that could not be read",
      spec: orchestrator([provider("openai", ["default"])]), obs: observed({ secrets: unreadable("Forbidden") }), want: ["False", Reason.ProviderSecretUnreadable],
    },
    {
      reason: "an unreadable Secret of a disabled provider does not matter",
      spec: orchestrator([provider("openai", ["default"]), provider("anthropic", ["smart"], { enabled: false, apiKeySecretRef: { namespace: "x", name: "y", key: "z" } })]),
      obs: observed({ secrets: new Map([...observed().secrets, ["x/y", { state: "unreadable", reason: "Forbidden" }]]) }), want: ["True", Reason.NodesSelected],
    },
    {
      reason: "a Secret without the key",
      spec: orchestrator([provider("gemini", ["default"])]), obs: observed(), want: ["False", Reason.ProviderSecretKeyMissing],
    },
    {
      reason: "a keyless ollama provider needs no Secret",
      spec: orchestrator([{ name: "ollama", type: "ollama", models: [{ alias: "local", model: "llama3" }] }]), obs: observed({ secrets: new Map() }), want: ["True", Reason.NodesSelected],
    },
    { reason: "a spec without a type is invalid", spec: { tags: ["x"] }, obs: observed(), want: ["False", Reason.InvalidSpec] },
  ])("$reason", ({ spec, obs, want }) => {
    const { conditions } = nodeConfigStatus(readSpec(spec), obs);
    expect([conditions[0]?.status, conditions[0]?.reason]).toEqual(want);
  });

  it("reports count, bounded names and capacity", () => {
    const nodes = Array.from({ length: 60 }, (_, i) => `n${String(i).padStart(2, "0")}`);
    const { fields } = nodeConfigStatus(readSpec({ type: "Edge" }), observed({ nodes, capacity: { cpu: "120" } }));
    expect(fields.matchedNodes).toBe(60);
    expect((fields.nodeNames as string[]).length).toBe(50);
    expect(fields.capacity).toEqual({ cpu: "120" });
  });

  it("never puts a Secret's key into a message beyond its name", () => {
    const { conditions } = nodeConfigStatus(readSpec(orchestrator([provider("gemini", ["default"])])), observed());
    expect(conditions[0]?.message).toBe("provider gemini: Secret aegis-system/llm-keys has no key gemini");
  });

  it.each([
    { reason: "Forbidden", want: "provider openai: Secret aegis-system/llm-keys could not be read (Forbidden): the operator needs get on Secrets in that namespace" },
    { reason: "ServiceUnavailable", want: "provider openai: Secret aegis-system/llm-keys could not be read (ServiceUnavailable), retrying" },
  ])("an unreadable Secret's message names the API reason only: $reason", ({ reason, want }) => {
    const { conditions } = nodeConfigStatus(readSpec(orchestrator([provider("openai", ["default"])])), observed({ secrets: unreadable(reason) }));
    expect(conditions[0]?.message).toBe(want);
  });

  it("never throws and always yields one valid Ready condition, whatever the spec", () => {
    const specs = fc.oneof(fc.jsonValue(), fc.record({
      type: fc.constantFrom("Orchestrator", "Edge", "Hybrid", "Other"),
      tags: fc.array(fc.string()),
      llmProviders: fc.array(fc.record({ name: fc.string(), enabled: fc.boolean(), models: fc.array(fc.record({ alias: fc.string(), model: fc.string() })) })),
    }, { requiredKeys: [] }));
    fc.assert(fc.property(specs, (spec) => {
      const { conditions } = nodeConfigStatus(readSpec(spec), observed());
      expectValidConditions(conditions, ["Ready"]);
    }), { numRuns: 500 });
  });
});
