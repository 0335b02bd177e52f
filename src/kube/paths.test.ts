import { describe, expect, it } from "vitest";
import { KubeApiError } from "./errors.ts";
import { queryString, resourcePath } from "./paths.ts";
import { AGENTS, EVENTS, NODECONFIGS, PODS } from "./resources.ts";

describe("resourcePath", () => {
  it.each([
    { why: "core collection in a namespace", args: [PODS, "ns"] as const, want: "/api/v1/namespaces/ns/pods" },
    { why: "core collection across namespaces", args: [PODS, undefined] as const, want: "/api/v1/pods" },
    { why: "core object", args: [PODS, "ns", "p"] as const, want: "/api/v1/namespaces/ns/pods/p" },
    { why: "group object status", args: [AGENTS, "ns", "a", "status"] as const, want: "/apis/aegis.dev/v1alpha1/namespaces/ns/agents/a/status" },
    { why: "cluster-scoped ignores a namespace", args: [NODECONFIGS, "ns", "nc"] as const, want: "/apis/aegis.dev/v1alpha1/nodeconfigs/nc" },
    { why: "names are escaped", args: [EVENTS, "n s", "a/b"] as const, want: "/apis/events.k8s.io/v1/namespaces/n%20s/events/a%2Fb" },
  ])("$why", ({ args, want }) => {
    const [res, namespace, name, sub] = [...args, undefined, undefined];
    expect(resourcePath(res, namespace, name, sub)).toBe(want);
  });

  it("refuses a namespaced object without a namespace", () => {
    expect(() => resourcePath(PODS, undefined, "p")).toThrow(KubeApiError);
  });
});

describe("queryString", () => {
  it("drops undefined, empty and false values", () => {
    expect(queryString({ watch: true, a: undefined, b: "", c: false, limit: 5, sel: "a=b,c" })).toBe("?watch=true&limit=5&sel=a%3Db%2Cc");
    expect(queryString({})).toBe("");
  });
});
