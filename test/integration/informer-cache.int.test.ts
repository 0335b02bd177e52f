// The informer against the shared cluster: paginated first list, live events in order,
// indexes, one shared instance per resource.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { CONFIGMAPS, NAMESPACES } from "../../src/kube/resources.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { OWNER_UID_INDEX, byLabel, byOwnerUid } from "../../src/runtime/informer-indexes.ts";
import type { InformerEvent } from "../../src/runtime/types.ts";

type ConfigMap = KubeObject & { data?: Record<string, string> };

const client = createKubeClient(kubeConfig());
const stop = new AbortController();
let ns = "";

beforeAll(async () => {
  ns = await createNamespace("informer-cache");
});
afterAll(async () => {
  stop.abort();
  await deleteNamespace(ns);
});

const configMap = (name: string, extra: Partial<ConfigMap["metadata"]> = {}, data: Record<string, string> = {}): ConfigMap =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, ...extra }, data });

describe("an informer", () => {
  it("lists in pages, then follows every change in order, keeping its indexes current", async () => {
    for (let i = 0; i < 7; i++) await client.create(CONFIGMAPS, configMap(`pre-${i}`, { labels: { batch: "pre" } }));
    const informer = createInformer<ConfigMap>(client, CONFIGMAPS, { namespace: ns, pageSize: 2 });
    informer.addIndex("batch", byLabel("batch"));
    informer.addIndex(OWNER_UID_INDEX, byOwnerUid);
    const events: InformerEvent<ConfigMap>[] = [];
    informer.subscribe((e) => events.push(e));
    expect(informer.hasSynced()).toBe(false);
    await informer.start(stop.signal);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.list(ns).filter((c) => c.metadata.name?.startsWith("pre-"))).toHaveLength(7);
    expect(informer.byIndex("batch", "pre")).toHaveLength(7);
    expect(events.filter((e) => e.type === "ADDED" && e.object.metadata.name?.startsWith("pre-"))).toHaveLength(7);

    const owner = await client.create(CONFIGMAPS, configMap("owner"));
    const child = await client.create(CONFIGMAPS, configMap("child", { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata.uid! }] }));
    let current = child;
    for (let v = 1; v <= 5; v++) current = await client.update(CONFIGMAPS, { ...current, data: { v: String(v) } });
    await client.delete(CONFIGMAPS, ns, "pre-0");

    await eventually(() => expect(informer.get(`${ns}/child`)?.data?.v).toBe("5"));
    await eventually(() => expect(informer.get(`${ns}/pre-0`)).toBeUndefined());
    expect(informer.byIndex(OWNER_UID_INDEX, owner.metadata.uid!).map((c) => c.metadata.name)).toEqual(["child"]);
    expect(informer.byIndex("batch", "pre")).toHaveLength(6);

    const childEvents = events.filter((e) => e.object.metadata.name === "child");
    expect(childEvents.map((e) => [e.type, e.object.data?.v])).toEqual([["ADDED", undefined], ...[1, 2, 3, 4, 5].map((v) => ["MODIFIED", String(v)])]);
    expect(childEvents.at(-1)?.old?.data?.v).toBe("4");
    const versions = childEvents.map((e) => BigInt(e.object.metadata.resourceVersion!));
    expect(versions).toEqual([...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(events.find((e) => e.type === "DELETED")?.object.metadata.name).toBe("pre-0");
  });

  it("tells a late subscriber of every cached object", async () => {
    const informer = createInformer<ConfigMap>(client, CONFIGMAPS, { namespace: ns });
    await informer.start(stop.signal);
    const late: string[] = [];
    informer.subscribe((e) => late.push(`${e.type} ${e.object.metadata.name ?? ""}`));
    expect(late.length).toBe(informer.list().length);
    expect(late.every((l) => l.startsWith("ADDED"))).toBe(true);
  });
});

describe("the informer factory", () => {
  it("shares one informer per resource, starts them together, and starts a late one at once", async () => {
    const factory = createInformerFactory(client, { namespace: ns });
    const first = factory.informer<ConfigMap>(CONFIGMAPS);
    expect(factory.informer({ ...CONFIGMAPS })).toBe(first);
    await factory.start(stop.signal);
    expect(first.hasSynced()).toBe(true);
    const namespaces = factory.informer(NAMESPACES);
    await factory.waitForSync();
    expect(factory.hasSynced()).toBe(true);
    expect(namespaces.get(ns)?.metadata.name).toBe(ns);
  });
});
