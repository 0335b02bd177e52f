import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../src/kube/types.ts";
import { admitPolicyConfigMap } from "./policy-configmap.ts";

const TYPO = '@id("typo")\npermit (principal, action == Action::"tool:invoke", resource) when { context.pathh == "x" };';
const GOOD = '@id("read")\npermit (principal, action == Action::"tool:invoke", resource == Tool::"fs.read");';

const review = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u-1",
    kind: { group: "", version: "v1", kind: "ConfigMap" },
    operation: "CREATE",
    namespace: "team",
    object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "p", labels: { "aegis.dev/policy": "true" } }, data },
    ...extra,
  },
});

type Response = { allowed: boolean; status?: { message: string; details: { causes: { field: string; message: string }[] } } };
const responseOf = (body: unknown, configMaps: KubeObject[] = []) =>
  (admitPolicyConfigMap(body, { configMaps: () => configMaps, operatorNamespace: "aegis-system" }).body as { response: Response }).response;

describe("admitPolicyConfigMap", () => {
  it("admits a valid policy set", () => {
    expect(responseOf(review({ "tools.cedar": GOOD }))).toEqual({ uid: "u-1", allowed: true });
  });

  it("denies an invalid one with Cedar's message, naming the data key", () => {
    const response = responseOf(review({ "tools.cedar": TYPO }));
    expect(response.allowed).toBe(false);
    expect(response.status?.details.causes[0]?.field).toBe("data[tools.cedar]");
    expect(response.status?.message).toMatch(/^data\[tools\.cedar\]: tools\.cedar:2:\d+: policy tools\.cedar:typo: .*`pathh`/);
  });

  it("takes the namespace from the review", () => {
    // The namespace's set includes a cluster-wide source whose ids are namespaced by source: no clash.
    const clusterWide = { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "aegis-system", name: "d", labels: { "aegis.dev/policy": "true" } }, data: { "tools.cedar": GOOD } } as KubeObject;
    expect(responseOf(review({ "tools.cedar": GOOD }), [clusterWide]).allowed).toBe(true);
  });

  it("lets deletions and other operations through, and refuses another kind", () => {
    expect(responseOf(review({ "tools.cedar": TYPO }, { operation: "DELETE" })).allowed).toBe(true);
    const secret = review({ "tools.cedar": TYPO }, { kind: { group: "", version: "v1", kind: "Secret" } });
    expect(responseOf(secret).status?.details.causes[0]?.field).toBe("kind");
  });

  it("answers 400 without a uid, and never throws on any JSON", { timeout: 30_000 }, () => {
    expect(admitPolicyConfigMap({ kind: "AdmissionReview" }, undefined).status).toBe(400);
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.anything().map((object) => ({ ...review({}), request: { ...review({}).request, object } }))), (body) => {
      expect([200, 400]).toContain(admitPolicyConfigMap(body, undefined).status);
    }), { numRuns: 500 });
  });
});
