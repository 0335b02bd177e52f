import { describe, expect, it } from "vitest";
import type { KubeObject, Resource } from "../kube/types.ts";
import { forRequests, keyOf, mappedRequests, ownerRequests, requestOf } from "./event-sources.ts";

const AGENTS: Resource = { group: "aegis.dev", version: "v1alpha1", plural: "agents", kind: "Agent", namespaced: true };
const NODECONFIGS: Resource = { group: "aegis.dev", version: "v1alpha1", plural: "nodeconfigs", kind: "NodeConfig", namespaced: false };

const child = (refs: { kind: string; apiVersion?: string; name: string; controller?: boolean }[], namespace = "ns"): KubeObject => ({
  metadata: { name: "c", namespace, ownerReferences: refs.map((r) => ({ apiVersion: r.apiVersion ?? "aegis.dev/v1alpha1", kind: r.kind, name: r.name, uid: "u", controller: r.controller })) },
});

describe("keys", () => {
  it.each([
    { request: { namespace: "ns", name: "a" }, key: "ns/a" },
    { request: { name: "cluster-wide" }, key: "cluster-wide" },
  ])("$key round-trips", ({ request, key }) => {
    expect(keyOf(request)).toBe(key);
    expect(requestOf(key)).toEqual(request);
  });
});

describe("forRequests", () => {
  it("names the object itself, whatever the event", () => {
    for (const type of ["ADDED", "MODIFIED", "DELETED"] as const) {
      expect(forRequests({ type, object: { metadata: { name: "a", namespace: "ns" } } })).toEqual([{ namespace: "ns", name: "a" }]);
    }
  });
});

describe("ownerRequests", () => {
  it.each([
    { reason: "a controller reference of the owner kind enqueues the owner", refs: [{ kind: "Agent", name: "a1", controller: true }], want: [{ namespace: "ns", name: "a1" }] },
    { reason: "a non-controller reference is ignored", refs: [{ kind: "Agent", name: "a1" }], want: [] },
    { reason: "another kind is ignored", refs: [{ kind: "Workflow", name: "w", controller: true }], want: [] },
    { reason: "the same kind in another group is ignored", refs: [{ kind: "Agent", apiVersion: "other.io/v1", name: "x", controller: true }], want: [] },
    { reason: "no owner references, no requests", refs: [], want: [] },
  ])("$reason", ({ refs, want }) => {
    expect(ownerRequests({ type: "MODIFIED", object: child(refs) }, AGENTS)).toEqual(want);
  });

  it("enqueues a cluster-scoped owner without a namespace", () => {
    expect(ownerRequests({ type: "ADDED", object: child([{ kind: "NodeConfig", name: "n", controller: true }]) }, NODECONFIGS)).toEqual([{ name: "n" }]);
  });

  it("enqueues the former owner too when an update moved the reference", () => {
    const event = { type: "MODIFIED" as const, object: child([{ kind: "Agent", name: "new", controller: true }]), old: child([{ kind: "Agent", name: "old", controller: true }]) };
    expect(ownerRequests(event, AGENTS)).toEqual([{ namespace: "ns", name: "new" }, { namespace: "ns", name: "old" }]);
  });
});

describe("mappedRequests", () => {
  it("maps the new and the old object", () => {
    const map = (o: KubeObject): { name: string }[] => [{ name: `for-${o.metadata.name}` }];
    expect(mappedRequests({ type: "MODIFIED", object: { metadata: { name: "b" } }, old: { metadata: { name: "a" } } }, map)).toEqual([{ name: "for-b" }, { name: "for-a" }]);
  });
});
