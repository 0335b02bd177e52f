import { describe, expect, it } from "vitest";
import { DEFAULT_REGISTRY } from "./registry.ts";
import { agentsForConfigMap, agentsForVolume } from "./watches.ts";

const agent = (name: string, volumes?: unknown) => ({ metadata: { namespace: "ns", name }, spec: { volumes } });
const agents = [agent("a", [{ name: "w", volumeRef: "shared" }]), agent("b", [{ name: "w", size: "1Gi" }]), agent("c")];

describe("map functions", () => {
  it.each([
    { reason: "the registry ConfigMap concerns every Agent", cm: DEFAULT_REGISTRY, want: ["a", "b", "c"] },
    { reason: "another ConfigMap concerns none", cm: { namespace: "aegis-system", name: "other" }, want: [] },
    { reason: "a same-named ConfigMap elsewhere concerns none", cm: { namespace: "ns", name: DEFAULT_REGISTRY.name }, want: [] },
  ])("$reason", ({ cm, want }) => {
    expect(agentsForConfigMap(agents, { metadata: cm }, DEFAULT_REGISTRY).map((r) => r.name)).toEqual(want);
  });

  it.each([
    { reason: "a Volume concerns the Agents naming it", volume: "shared", want: ["a"] },
    { reason: "an unnamed Volume concerns none", volume: "other", want: [] },
  ])("$reason", ({ volume, want }) => {
    expect(agentsForVolume(agents, { metadata: { namespace: "ns", name: volume } }).map((r) => r.name)).toEqual(want);
  });
});
