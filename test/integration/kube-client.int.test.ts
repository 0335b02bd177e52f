// The Kubernetes adapter against the real API server: every verb, and the KubeApiError each
// real failure becomes.
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validAgent } from "../fixtures/aegis.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig, kubectl } from "../helpers/cluster.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { KubeApiError } from "../../src/kube/errors.ts";
import { createEventRecorder } from "../../src/kube/events.ts";
import { addFinalizer, removeFinalizer } from "../../src/kube/finalizers.ts";
import { AGENTS, CONFIGMAPS, EVENTS } from "../../src/kube/resources.ts";
import type { KubeObject, WatchEventType } from "../../src/kube/types.ts";

const client = createKubeClient(kubeConfig());
let ns = "";

beforeAll(async () => {
  ns = await createNamespace("kube-client");
});
afterAll(async () => {
  await deleteNamespace(ns);
});

const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data });

async function failure(promise: Promise<unknown>): Promise<KubeApiError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(KubeApiError);
  return err as KubeApiError;
}

describe("the verbs", () => {
  it("create, get, update, list in pages, delete", async () => {
    const created = await client.create(CONFIGMAPS, configMap("cm-a", { k: "1" }));
    expect(created.metadata.uid).toBeTruthy();
    await client.create(CONFIGMAPS, configMap("cm-b"));
    await client.create(CONFIGMAPS, configMap("cm-c"));

    const got = await client.get<KubeObject & { data: Record<string, string> }>(CONFIGMAPS, ns, "cm-a");
    expect(got.data).toEqual({ k: "1" });
    const updated = await client.update(CONFIGMAPS, { ...got, data: { k: "2" } });
    expect(updated.metadata.resourceVersion).not.toBe(got.metadata.resourceVersion);

    const first = await client.list(CONFIGMAPS, { namespace: ns, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.continue).toBeTruthy();
    expect(first.items[0]).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
    const rest = await client.list(CONFIGMAPS, { namespace: ns, limit: 2, continue: first.continue! });
    const names = [...first.items, ...rest.items].map((i) => i.metadata.name).filter((n) => n?.startsWith("cm-"));
    expect(names.sort()).toEqual(["cm-a", "cm-b", "cm-c"]);
    expect(rest.continue).toBeUndefined();

    await client.delete(CONFIGMAPS, ns, "cm-a");
    expect((await failure(client.get(CONFIGMAPS, ns, "cm-a"))).reason).toBe("NotFound");
    await client.delete(CONFIGMAPS, ns, "cm-a"); // already gone: not an error
  });

  it("lists by label selector", async () => {
    await client.create(CONFIGMAPS, { ...configMap("labelled"), metadata: { name: "labelled", namespace: ns, labels: { role: "x" } } });
    const { items } = await client.list(CONFIGMAPS, { namespace: ns, labelSelector: "role=x" });
    expect(items.map((i) => i.metadata.name)).toEqual(["labelled"]);
  });

  it("dry-runs a create without persisting it", async () => {
    await client.create(CONFIGMAPS, configMap("dry"), { dryRun: true });
    expect((await failure(client.get(CONFIGMAPS, ns, "dry"))).reason).toBe("NotFound");
  });

  it("deletes with a uid precondition (Conflict when the uid differs)", async () => {
    await client.create(CONFIGMAPS, configMap("precond"));
    const err = await failure(client.delete(CONFIGMAPS, ns, "precond", { uid: "00000000-0000-0000-0000-000000000000" }));
    expect(err.reason).toBe("Conflict");
  });
});

describe("errors of real failures", () => {
  it("AlreadyExists", async () => {
    await client.create(CONFIGMAPS, configMap("twice"));
    const err = await failure(client.create(CONFIGMAPS, configMap("twice")));
    expect([err.reason, err.code]).toEqual(["AlreadyExists", 409]);
  });

  it("Conflict on a stale resourceVersion", async () => {
    const created = await client.create(CONFIGMAPS, configMap("stale", { v: "1" }));
    await client.update(CONFIGMAPS, { ...created, data: { v: "2" } });
    const err = await failure(client.update(CONFIGMAPS, { ...created, data: { v: "3" } }));
    expect([err.reason, err.code]).toEqual(["Conflict", 409]);
  });

  it("Invalid from a CRD rule, naming the field", async () => {
    const agent = validAgent();
    delete (agent.spec.runtime as Record<string, unknown>).version;
    const err = await failure(client.create(AGENTS, { ...agent, metadata: { name: "broken", namespace: ns } }));
    expect([err.reason, err.code]).toEqual(["Invalid", 422]);
    expect(err.causes).toContainEqual(expect.objectContaining({ field: "spec.runtime.version" }));
  });

  it("Forbidden for a user without rights", async () => {
    expect((await kubectl(["create", "serviceaccount", "nobody", "-n", ns])).code).toBe(0);
    const token = await kubectl(["create", "token", "nobody", "-n", ns]);
    expect(token.code).toBe(0);
    const base = kubeConfig();
    const cluster = base.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster], users: [{ name: "nobody", token: token.stdout.trim() }],
      contexts: [{ name: "nobody", cluster: cluster.name, user: "nobody" }], currentContext: "nobody",
    });
    const err = await failure(createKubeClient(kc).list(CONFIGMAPS, { namespace: ns }));
    expect([err.reason, err.code]).toEqual(["Forbidden", 403]);
  });

  it("Unreachable when nothing listens", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "nowhere", server: "https://127.0.0.1:1", skipTLSVerify: true }], users: [{ name: "u", token: "t" }],
      contexts: [{ name: "c", cluster: "nowhere", user: "u" }], currentContext: "c",
    });
    const err = await failure(createKubeClient(kc).get(CONFIGMAPS, ns, "x"));
    expect([err.reason, err.code]).toEqual(["Unreachable", 0]);
  });
});

describe("server-side apply", () => {
  type Status = { conditions?: { type: string; status: string; reason: string }[]; resolved?: string };
  type Agent = KubeObject & { spec: Record<string, unknown>; status?: Status };
  const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: "", lastTransitionTime: "2026-01-01T00:00:00Z" });

  it("two field managers own different condition types without clobbering", async () => {
    const agent = await client.apply<Agent>(AGENTS, { ...validAgent(), metadata: { name: "two-managers", namespace: ns } } as Agent, { fieldManager: "test-owner" });
    const status = (conditions: unknown[]) => ({ apiVersion: agent.apiVersion!, kind: agent.kind!, metadata: { name: "two-managers", namespace: ns }, status: { conditions } });
    await client.applyStatus(AGENTS, status([condition("Ready", "True", "One")]), { fieldManager: "manager-a" });
    await client.applyStatus(AGENTS, status([condition("Accepted", "True", "Two")]), { fieldManager: "manager-b" });
    await client.applyStatus(AGENTS, status([condition("Ready", "False", "Three")]), { fieldManager: "manager-a" });
    const got = await client.get<Agent>(AGENTS, ns, "two-managers");
    expect(got.status?.conditions?.map((c) => [c.type, c.status, c.reason]).sort()).toEqual([["Accepted", "True", "Two"], ["Ready", "False", "Three"]]);
    // A manager that stops applying a condition removes only its own.
    await client.applyStatus(AGENTS, status([]), { fieldManager: "manager-a" });
    const after = await client.get<Agent>(AGENTS, ns, "two-managers");
    expect(after.status?.conditions?.map((c) => c.type)).toEqual(["Accepted"]);
  });

  it("applyStatus sends only the status: spec and its owner stay", async () => {
    const applied = await client.apply<Agent>(AGENTS, { ...validAgent(), metadata: { name: "status-only", namespace: ns } } as Agent, { fieldManager: "test-owner" });
    // Even with a changed spec in the object handed over, only the status is sent.
    const withSpec = { ...applied, spec: { ...applied.spec, task: { instruction: "changed" } }, status: { conditions: [condition("Ready", "True", "Ok")] } };
    const result = await client.applyStatus<Agent>(AGENTS, withSpec, { fieldManager: "status-writer" });
    expect(result.spec).toEqual(applied.spec);
    expect(result.metadata.generation).toBe(applied.metadata.generation);
    const managed = result.metadata.managedFields?.find((m) => m.manager === "status-writer");
    expect(managed?.subresource).toBe("status");
    expect(JSON.stringify(managed?.fieldsV1)).not.toContain("f:spec");
  });

  it("a second manager conflicts on a field it does not own unless it forces", async () => {
    await client.apply(CONFIGMAPS, configMap("owned", { key: "a" }), { fieldManager: "first" });
    const err = await failure(client.apply(CONFIGMAPS, configMap("owned", { key: "b" }), { fieldManager: "second" }));
    expect([err.reason, err.code]).toEqual(["Conflict", 409]);
    const forced = await client.apply<KubeObject & { data?: Record<string, string> }>(CONFIGMAPS, configMap("owned", { key: "b" }), { fieldManager: "second", force: true });
    expect(forced.data?.key).toBe("b");
  });
});

describe("JSON patch finalizers", () => {
  it("adds to a missing list, adds again, removes, and fails on a stale list", async () => {
    const created = await client.create(CONFIGMAPS, configMap("fin"));
    const one = await addFinalizer(client, CONFIGMAPS, created, "aegis.dev/one");
    expect(one.changed).toBe(true);
    expect(one.object.metadata.finalizers).toEqual(["aegis.dev/one"]);
    expect((await addFinalizer(client, CONFIGMAPS, one.object, "aegis.dev/one")).changed).toBe(false);
    const two = await addFinalizer(client, CONFIGMAPS, one.object, "aegis.dev/two");
    expect(two.object.metadata.finalizers).toEqual(["aegis.dev/one", "aegis.dev/two"]);
    // `one.object` is stale now: its list lacks "two"; removing from it must not drop "two".
    const err = await failure(removeFinalizer(client, CONFIGMAPS, one.object, "aegis.dev/one"));
    expect(err.reason).toBe("Conflict");
    const removed = await removeFinalizer(client, CONFIGMAPS, two.object, "aegis.dev/one");
    expect(removed.object.metadata.finalizers).toEqual(["aegis.dev/two"]);
    await removeFinalizer(client, CONFIGMAPS, removed.object, "aegis.dev/two");
    // A stale missing-list view conflicts too.
    const fresh = await client.get(CONFIGMAPS, ns, "fin");
    await addFinalizer(client, CONFIGMAPS, fresh, "aegis.dev/three");
    expect((await failure(addFinalizer(client, CONFIGMAPS, fresh, "aegis.dev/four"))).reason).toBe("Conflict");
    const last = await client.get(CONFIGMAPS, ns, "fin");
    await removeFinalizer(client, CONFIGMAPS, last, "aegis.dev/three");
  });
});

describe("field managers", () => {
  it("names the writer of a finalizer patch, and the client itself by its User-Agent", async () => {
    // An object created with no fields to own gets no managedFields, and updates never start them: give it data.
    const created = await client.create(CONFIGMAPS, configMap("managed-by", { k: "1" }));
    expect(created.metadata.managedFields?.map((e) => e.manager)).toEqual(["aegis-operator"]);
    const { object } = await addFinalizer(client, CONFIGMAPS, created, "aegis.dev/owned", { fieldManager: "aegis-test-controller" });
    const owners = (object.metadata.managedFields ?? []).filter((e) => JSON.stringify(e.fieldsV1).includes("aegis.dev/owned")).map((e) => e.manager);
    expect(owners).toEqual(["aegis-test-controller"]);
    await removeFinalizer(client, CONFIGMAPS, object, "aegis.dev/owned");
  });
});

describe("the event recorder", () => {
  it("records events.k8s.io/v1 Events the API server accepts, about namespaced and cluster-scoped objects", async () => {
    const recorder = createEventRecorder(client, { reportingController: "aegis.dev/test-controller", reportingInstance: "test-0" });
    const subject = await client.create(CONFIGMAPS, configMap("evented"));
    await recorder.record({ ...subject, apiVersion: "v1", kind: "ConfigMap" }, "Warning", "ProviderFailed", "call failed: Authorization: Bearer abc.def.ghi", "Validate");
    const { items } = await client.list<KubeObject & Record<string, unknown>>(EVENTS, { namespace: ns, fieldSelector: "regarding.name=evented" });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: "Warning", reason: "ProviderFailed", action: "Validate", reportingController: "aegis.dev/test-controller", reportingInstance: "test-0",
      regarding: { kind: "ConfigMap", name: "evented", namespace: ns, uid: subject.metadata.uid },
    });
    expect(items[0]?.note).not.toContain("abc.def.ghi");

    const nodeConfig = { apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: `nc-${ns}`, uid: "00000000-0000-0000-0000-000000000001" } };
    await recorder.record(nodeConfig, "Normal", "Ready", "ok");
    const clusterScoped = await client.list<KubeObject & Record<string, unknown>>(EVENTS, { namespace: "default", fieldSelector: `regarding.name=nc-${ns}` });
    expect(clusterScoped.items.map((e) => e.reason)).toEqual(["Ready"]);
  });

  it("rate-limits a repeated event per object and reason, and says how many were not recorded", async () => {
    let now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const recorder = createEventRecorder(client, {
      reportingController: "aegis.dev/test-controller", reportingInstance: "test-0", now: () => new Date(now), spamFilter: { burst: 3, refillMs: 60_000, maxKeys: 100 },
    });
    const subject = { ...(await client.create(CONFIGMAPS, configMap("spammed"))), apiVersion: "v1", kind: "ConfigMap" };
    for (let i = 0; i < 10; i++) await recorder.record(subject, "Warning", "ToolPolicyViolation", `denied ${i}`);
    await recorder.record(subject, "Normal", "Other", "a different reason still gets through");
    now += 60_000;
    await recorder.record(subject, "Warning", "ToolPolicyViolation", "denied after a minute");
    const { items } = await client.list<KubeObject & Record<string, unknown>>(EVENTS, { namespace: ns, fieldSelector: "regarding.name=spammed" });
    expect(items.map((e) => e.note).sort()).toEqual([
      "a different reason still gets through", "denied 0", "denied 1", "denied 2", "denied after a minute (7 similar events not recorded)",
    ]);
  });
});

describe("watch", () => {
  it("streams events from a resourceVersion, delivers bookmarks, and stops on abort", async () => {
    const { resourceVersion } = await client.list(CONFIGMAPS, { namespace: ns });
    const seen: [WatchEventType, string | undefined][] = [];
    const abort = new AbortController();
    const watching = client.watch(CONFIGMAPS, { namespace: ns, resourceVersion, allowWatchBookmarks: true, signal: abort.signal }, (type, obj) => {
      seen.push([type, obj.metadata.name]);
    });
    const made = await client.create(CONFIGMAPS, configMap("watched"));
    await client.update(CONFIGMAPS, { ...made, data: { x: "1" } });
    await client.delete(CONFIGMAPS, ns, "watched");
    await eventually(() => expect(seen.filter(([t]) => t !== "BOOKMARK")).toEqual([["ADDED", "watched"], ["MODIFIED", "watched"], ["DELETED", "watched"]]));
    abort.abort();
    await watching; // resolves, does not reject
  });

  it("delivers a BOOKMARK carrying progress the watch did not otherwise see", async () => {
    const { resourceVersion } = await client.list(CONFIGMAPS, { namespace: ns });
    const bookmarks: string[] = [];
    // The server sends a bookmark shortly before a watch's timeout, if its cache moved on:
    // a ConfigMap the selector filters out moves it without an event for this watch.
    const watching = client.watch(CONFIGMAPS, { namespace: ns, labelSelector: "never=matches", resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 5 }, (type, obj) => {
      if (type === "BOOKMARK") bookmarks.push(obj.metadata.resourceVersion ?? "");
    });
    const unseen = await client.create(CONFIGMAPS, configMap("unseen"));
    await watching;
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(BigInt(bookmarks.at(-1)!)).toBeGreaterThanOrEqual(BigInt(unseen.metadata.resourceVersion!));
  });
});
