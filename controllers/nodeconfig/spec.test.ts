import { describe, expect, it } from "vitest";
import { checkedSecrets, readSpec, type NodeConfigView } from "./spec.ts";

const ref = (namespace: string, name: string, key = "k") => ({ namespace, name, key });
const provider = (name: string, extra: Record<string, unknown> = {}) => ({ name, models: [], ...extra });

function view(spec: unknown): NodeConfigView {
  const reading = readSpec(spec);
  if (!reading.ok) throw new Error(reading.message);
  return reading.spec;
}

describe("checkedSecrets", () => {
  it.each([
    {
      reason: "an orchestrator reads each referenced Secret once, whatever its keys",
      spec: { type: "Orchestrator", llmProviders: [provider("a", { apiKeySecretRef: ref("ns", "keys", "a") }), provider("b", { apiKeySecretRef: ref("ns", "keys", "b") })] },
      want: [{ namespace: "ns", name: "keys" }],
    },
    {
      reason: "same name, other namespace: another Secret",
      spec: { type: "Orchestrator", llmProviders: [provider("a", { apiKeySecretRef: ref("ns", "keys") }), provider("b", { apiKeySecretRef: ref("other", "keys") })] },
      want: [{ namespace: "ns", name: "keys" }, { namespace: "other", name: "keys" }],
    },
    {
      reason: "a disabled provider's Secret is not read",
      spec: { type: "Orchestrator", llmProviders: [provider("a", { enabled: false, apiKeySecretRef: ref("ns", "keys") })] },
      want: [],
    },
    { reason: "a keyless provider needs no Secret", spec: { type: "Hybrid", llmProviders: [provider("ollama")] }, want: [] },
    {
      reason: "an Edge config checks no provider, so reads no Secret",
      spec: { type: "Edge", llmProviders: [provider("a", { apiKeySecretRef: ref("ns", "keys") })] },
      want: [],
    },
  ])("$reason", ({ spec, want }) => {
    expect(checkedSecrets(view(spec))).toEqual(want);
  });
});
