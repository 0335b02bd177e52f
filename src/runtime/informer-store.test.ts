import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/types.ts";
import { byLabel, byOwnerUid, byReference } from "./informer-indexes.ts";
import { InformerStore, backoffDelay, compareResourceVersions, decideWatchEvent, diffRelist, isNewer, objectKey } from "./informer-store.ts";

const obj = (name: string, rv: string, extra: Partial<KubeObject["metadata"]> = {}, namespace = "ns"): KubeObject => ({
  metadata: { name, namespace, resourceVersion: rv, uid: `uid-${name}`, ...extra },
});

describe("objectKey", () => {
  it("is namespace/name, or name when cluster-scoped", () => {
    expect(objectKey(obj("a", "1"))).toBe("ns/a");
    expect(objectKey({ metadata: { name: "n" } })).toBe("n");
  });
});

describe("resourceVersion ordering", () => {
  it.each([
    { a: "9", b: "10", want: -1, why: "numeric, not lexical" },
    { a: "100000000000000000000", b: "99", want: 1, why: "beyond 2^53" },
    { a: "5", b: "5", want: 0 },
    { a: "abc", b: "5", want: undefined, why: "opaque" },
    { a: "", b: "5", want: undefined },
  ])("$a vs $b → $want", ({ a, b, want }) => {
    expect(compareResourceVersions(a, b)).toBe(want);
  });

  it("isNewer treats incomparable different versions as newer", () => {
    expect(isNewer("x", "y")).toBe(true);
    expect(isNewer("x", "x")).toBe(false);
    expect(isNewer("4", "5")).toBe(false);
  });
});

describe("decideWatchEvent", () => {
  it.each([
    { why: "new object", cached: undefined, type: "ADDED" as const, incoming: obj("a", "5"), want: "ADDED" },
    { why: "MODIFIED of an unknown object is an ADDED", cached: undefined, type: "MODIFIED" as const, incoming: obj("a", "5"), want: "ADDED" },
    { why: "newer version", cached: obj("a", "5"), type: "MODIFIED" as const, incoming: obj("a", "6"), want: "MODIFIED" },
    { why: "ADDED of a known object is a MODIFIED", cached: obj("a", "5"), type: "ADDED" as const, incoming: obj("a", "6"), want: "MODIFIED" },
    { why: "same version: nothing", cached: obj("a", "5"), type: "MODIFIED" as const, incoming: obj("a", "5"), want: undefined },
    { why: "older version: never emitted", cached: obj("a", "7"), type: "MODIFIED" as const, incoming: obj("a", "6"), want: undefined },
    { why: "delete of a known object", cached: obj("a", "5"), type: "DELETED" as const, incoming: obj("a", "8"), want: "DELETED" },
    { why: "delete of an unknown object: nothing", cached: undefined, type: "DELETED" as const, incoming: obj("a", "8"), want: undefined },
    { why: "stale delete: nothing", cached: obj("a", "9"), type: "DELETED" as const, incoming: obj("a", "8"), want: undefined },
  ])("$why", ({ cached, type, incoming, want }) => {
    const event = decideWatchEvent(cached, type, incoming);
    expect(event?.type).toBe(want);
    if (event?.type === "MODIFIED") expect(event.old).toBe(cached);
  });
});

describe("diffRelist", () => {
  it("emits ADDED, MODIFIED, DELETED for the difference and nothing for unchanged objects", () => {
    const cache = new Map([["ns/same", obj("same", "3")], ["ns/changed", obj("changed", "3")], ["ns/gone", obj("gone", "3")]]);
    const events = diffRelist(cache, [obj("same", "3"), obj("changed", "9"), obj("new", "8")]);
    expect(events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion])).toEqual([
      ["MODIFIED", "changed", "9"], ["ADDED", "new", "8"], ["DELETED", "gone", "3"],
    ]);
    expect(events[0]?.old).toBe(cache.get("ns/changed"));
  });

  it("turns a replaced object (same name, new uid) into DELETED then ADDED", () => {
    const cache = new Map([["ns/a", obj("a", "3")]]);
    const events = diffRelist(cache, [obj("a", "9", { uid: "other" })]);
    expect(events.map((e) => [e.type, e.object.metadata.uid])).toEqual([["DELETED", "uid-a"], ["ADDED", "other"]]);
  });

  it("takes any cache to exactly the fresh list (property)", () => {
    const names = fc.constantFrom("a", "b", "c", "d", "e");
    const version = fc.integer({ min: 1, max: 20 }).map(String);
    const objects = fc.uniqueArray(fc.record({ name: names, rv: version }), { selector: (o) => o.name });
    fc.assert(fc.property(objects, objects, (before, after) => {
      const store = new InformerStore<KubeObject>();
      for (const o of before) store.apply({ type: "ADDED", object: obj(o.name, o.rv) });
      // The fresh list is newer than the cache (a relist always is): bump its versions above.
      const fresh = after.map((o) => obj(o.name, String(Number(o.rv) + 100)));
      for (const event of diffRelist(store.items, fresh)) store.apply(event);
      const state = store.list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
      expect(state).toEqual(fresh.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort());
    }));
  });
});

describe("InformerStore indexes", () => {
  it("indexes by namespace and by added indexes, and keeps them current on update and delete", () => {
    const store = new InformerStore<KubeObject>();
    store.addIndex("owner", byOwnerUid);
    store.addIndex("role", byLabel("role"));
    const owned = obj("p", "1", { ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "o1" }], labels: { role: "worker" } });
    store.apply({ type: "ADDED", object: owned });
    store.apply({ type: "ADDED", object: obj("q", "2", {}, "other") });
    expect(store.list("ns").map((o) => o.metadata.name)).toEqual(["p"]);
    expect(store.byIndex("owner", "o1").map((o) => o.metadata.name)).toEqual(["p"]);
    expect(store.byIndex("role", "worker")).toHaveLength(1);

    store.apply({ type: "MODIFIED", object: obj("p", "3", { labels: { role: "lead" } }) });
    expect(store.byIndex("owner", "o1")).toEqual([]);
    expect(store.byIndex("role", "worker")).toEqual([]);
    expect(store.byIndex("role", "lead")).toHaveLength(1);

    store.apply({ type: "DELETED", object: obj("p", "4") });
    expect(store.byIndex("role", "lead")).toEqual([]);
    expect(store.list()).toHaveLength(1);
  });

  it("builds an index added late over what is cached, and survives a throwing index function", () => {
    const store = new InformerStore<KubeObject>();
    store.apply({ type: "ADDED", object: obj("a", "1", { labels: { app: "x" } }) });
    store.addIndex("app", byLabel("app"));
    store.addIndex("broken", () => { throw new Error("boom"); });
    expect(store.byIndex("app", "x")).toHaveLength(1);
    store.apply({ type: "ADDED", object: obj("b", "2") });
    expect(store.list()).toHaveLength(2);
  });

  it("byReference qualifies referenced names with the namespace", () => {
    const index = byReference<KubeObject & { spec?: { agentRef?: { name: string } } }>((o) => o.spec?.agentRef?.name);
    expect(index({ metadata: { namespace: "ns", name: "e" }, spec: { agentRef: { name: "coder" } } })).toEqual(["ns/coder"]);
    expect(index({ metadata: { name: "e" } })).toEqual([]);
  });
});

describe("backoffDelay", () => {
  const options = { baseMs: 200, capMs: 30_000 };
  it.each([
    { attempt: 1, random: 0, want: 100 },
    { attempt: 1, random: 1, want: 200 },
    { attempt: 3, random: 1, want: 800 },
    { attempt: 50, random: 1, want: 30_000 },
    { attempt: 50, random: 0, want: 15_000 },
  ])("attempt $attempt, random $random → $want ms", ({ attempt, random, want }) => {
    expect(backoffDelay(attempt, options, () => random)).toBe(want);
  });

  it("stays within the cap", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
      const delay = backoffDelay(attempt, options, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(options.capMs);
    }));
  });
});
