import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/types.ts";
import { policyConfigMapDenials } from "./configmap-admission.ts";
import { POLICY_LABEL } from "./configmaps.ts";

const OPERATOR_NS = "aegis-system";
const PERMIT_READ = '@id("read")\npermit (principal, action == Action::"tool:invoke", resource == Tool::"fs.read");';
const TYPO = '@id("typo")\npermit (principal, action == Action::"tool:invoke", resource) when { context.pathh == "x" };';

function cm(namespace: string, name: string, data: Record<string, string>, labelled = true): KubeObject {
  return {
    apiVersion: "v1", kind: "ConfigMap",
    metadata: { namespace, name, ...(labelled ? { labels: { [POLICY_LABEL]: "true" } } : {}) },
    data,
  } as KubeObject;
}

describe("policyConfigMapDenials", () => {
  it("admits a valid policy ConfigMap", () => {
    expect(policyConfigMapDenials(cm("team", "p", { "tools.cedar": PERMIT_READ, "README": "x" }), [], OPERATOR_NS)).toEqual([]);
  });

  it("denies a validation error with Cedar's message, naming the data key, line and policy", () => {
    const denials = policyConfigMapDenials(cm("team", "p", { "ok.cedar": PERMIT_READ, "tools.cedar": TYPO }), [], OPERATOR_NS);
    expect(denials).toHaveLength(1);
    expect(denials[0]!.field).toBe("data[tools.cedar]");
    expect(denials[0]!.message).toMatch(/^tools\.cedar:2:\d+: policy tools\.cedar:typo: .*attribute `pathh`.*not found/);
  });

  it("denies a syntax error with Cedar's message", () => {
    const [denial] = policyConfigMapDenials(cm("team", "p", { "bad.cedar": "permit (principal, action resource);" }), [], OPERATOR_NS);
    expect(denial?.field).toBe("data[bad.cedar]");
    expect(denial?.message).toMatch(/^bad\.cedar(:\d+:\d+)?: .+/);
  });

  it("denies policy ids that collide in the set", () => {
    const twice = `${PERMIT_READ}\n${PERMIT_READ}`;
    const denials = policyConfigMapDenials(cm("team", "p", { "tools.cedar": twice }), [], OPERATOR_NS);
    expect(denials.map((d) => d.message)).toContain("tools.cedar: policy tools.cedar:read: duplicate policy id");
  });

  it("ignores what is not a policy ConfigMap, keys that are not .cedar, and other ConfigMaps' errors", () => {
    expect(policyConfigMapDenials(cm("team", "p", { "tools.cedar": TYPO }, false), [], OPERATOR_NS)).toEqual([]);
    expect(policyConfigMapDenials(cm("team", "p", { "notes.txt": TYPO }), [], OPERATOR_NS)).toEqual([]);
    const brokenNeighbour = cm("team", "old", { "tools.cedar": TYPO });
    const brokenClusterWide = cm(OPERATOR_NS, "defaults", { "tools.cedar": TYPO });
    expect(policyConfigMapDenials(cm("team", "p", { "tools.cedar": PERMIT_READ }), [brokenNeighbour, brokenClusterWide], OPERATOR_NS)).toEqual([]);
  });

  it("judges the new version, not the stored one it replaces", () => {
    const stored = cm("team", "p", { "tools.cedar": TYPO });
    expect(policyConfigMapDenials(cm("team", "p", { "tools.cedar": PERMIT_READ }), [stored], OPERATOR_NS)).toEqual([]);
    const fixedStored = cm("team", "p", { "tools.cedar": PERMIT_READ });
    expect(policyConfigMapDenials(cm("team", "p", { "tools.cedar": TYPO }), [fixedStored], OPERATOR_NS)).toHaveLength(1);
  });

  it("checks a cluster-wide ConfigMap with the cluster-wide set, not a namespace's", () => {
    const nsBroken = cm("team", "old", { "tools.cedar": TYPO });
    expect(policyConfigMapDenials(cm(OPERATOR_NS, "defaults", { "tools.cedar": PERMIT_READ }), [nsBroken], OPERATOR_NS)).toEqual([]);
    expect(policyConfigMapDenials(cm(OPERATOR_NS, "defaults", { "tools.cedar": TYPO }), [], OPERATOR_NS)[0]?.field).toBe("data[tools.cedar]");
  });

  // Each run compiles with Cedar: a generous timeout for a loaded machine.
  it("never throws and denies only with fields of its own keys, whatever the text", { timeout: 30_000 }, () => {
    const key = fc.stringMatching(/^[a-z]{1,8}$/).map((k) => `${k}.cedar`);
    fc.assert(fc.property(fc.dictionary(key, fc.oneof(fc.string(), fc.constantFrom(PERMIT_READ, TYPO, "forbid (principal, action, resource);")), { maxKeys: 3 }), (data) => {
      const denials = policyConfigMapDenials(cm("team", "p", data), [], OPERATOR_NS);
      for (const d of denials) {
        expect(d.field === "data" || Object.keys(data).some((k) => d.field === `data[${k}]`)).toBe(true);
        expect(d.message.length).toBeGreaterThan(0);
      }
    }), { numRuns: 100 });
  });
});
