// The informer through the failures of its API server, on a private control plane (the tests
// restart kube-apiserver and compact etcd): a restart loses no update, and a watch whose
// resourceVersion was compacted away (410 Gone) relists and converges to the server's state.
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/cluster.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";
import { startControlPlane, type ControlPlane } from "../../src/local/controlplane/controlplane.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { KubeApiError, isGone } from "../../src/kube/errors.ts";
import { CONFIGMAPS, NAMESPACES } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject, Resource, WatchEventType, WatchOptions } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";
import type { Informer, InformerEvent } from "../../src/runtime/types.ts";

type ConfigMap = KubeObject & { data?: Record<string, string> };

const tempDir = tempDirs();
let cp: ControlPlane;
let writer: KubeClient;
const stop = new AbortController();

const loadConfig = (): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfig);
  return kc;
};

beforeAll(async () => {
  cp = await startControlPlane({ home: await tempDir("aegis-informer-failures"), controllerManager: false, scheduler: false });
  // The writer is a second client (its own KubeConfig and connections), like another process.
  writer = createKubeClient(loadConfig());
});
afterAll(async () => {
  stop.abort();
  await cp?.stop();
});

async function namespace(name: string): Promise<string> {
  await writer.create(NAMESPACES, { metadata: { name } });
  return name;
}

const configMap = (ns: string, name: string, v: string): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: { v } });

/** Records events per object and checks none ever goes back in resourceVersion. */
function recorder(informer: Informer<ConfigMap>): { events: InformerEvent<ConfigMap>[]; regressions: string[] } {
  const events: InformerEvent<ConfigMap>[] = [];
  const regressions: string[] = [];
  const last = new Map<string, bigint>();
  informer.subscribe((e) => {
    events.push(e);
    const key = e.object.metadata.name ?? "";
    const rv = BigInt(e.object.metadata.resourceVersion ?? "0");
    const before = last.get(key);
    // A synthetic DELETED carries the last cached state: equal is fine, older is not.
    if (before !== undefined && (rv < before || (rv === before && e.type !== "DELETED"))) regressions.push(`${key}: ${before} → ${rv} (${e.type})`);
    last.set(key, rv);
  });
  return { events, regressions };
}

/** The etcd revision now, through etcd's JSON gateway. */
async function etcdRevision(): Promise<number> {
  const res = await fetch(`${cp.etcdUrl}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: Buffer.from("/").toString("base64"), limit: 1 }) });
  const body = (await res.json()) as { header: { revision: string } };
  return Number(body.header.revision);
}

async function compactEtcd(): Promise<number> {
  const revision = await etcdRevision();
  const res = await fetch(`${cp.etcdUrl}/v3/kv/compaction`, { method: "POST", body: JSON.stringify({ revision, physical: true }) });
  expect(res.ok).toBe(true);
  return revision;
}

/**
 * A KubeClient whose watches the test can cut and hold (as a network partition would), and
 * which counts the Gone failures its watches end with.
 */
function gatedClient(inner: KubeClient): KubeClient & { cut(): void; release(): void; gone: number } {
  let held: { promise: Promise<void>; release: () => void } | undefined;
  let current: AbortController | undefined;
  const gated = {
    ...inner,
    gone: 0,
    cut(): void {
      let release = (): void => undefined;
      const promise = new Promise<void>((resolve) => (release = resolve));
      held = { promise, release };
      current?.abort();
    },
    release(): void {
      held?.release();
      held = undefined;
    },
    async watch<T extends KubeObject>(res: Resource, options: WatchOptions, onEvent: (type: WatchEventType, obj: T) => void): Promise<void> {
      await held?.promise;
      current = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, current.signal]) : current.signal;
      try {
        await inner.watch<T>(res, { ...options, signal }, onEvent);
      } catch (err) {
        if (isGone(err)) gated.gone++;
        throw err;
      }
    },
  };
  return gated;
}

describe("an informer across a kube-apiserver restart", () => {
  it("sees every update made once the server is back: none lost, none reordered", async () => {
    const ns = await namespace("restart");
    const N = 40;
    const D = 5;
    for (let i = 0; i < N + D; i++) await writer.create(CONFIGMAPS, configMap(ns, `cm-${i}`, "before"));
    const informer = createInformer<ConfigMap>(createKubeClient(loadConfig()), CONFIGMAPS, { namespace: ns, backoff: { baseMs: 100, capMs: 1000 } });
    const { events, regressions } = recorder(informer);
    await informer.start(stop.signal);
    expect(informer.list()).toHaveLength(N + D);

    await cp.restart("kube-apiserver");
    // Once it is back: N updates, N creates and D deletes through the second client.
    for (let i = 0; i < N; i++) {
      const cm = await writer.get<ConfigMap>(CONFIGMAPS, ns, `cm-${i}`);
      await writer.update(CONFIGMAPS, { ...cm, data: { v: "after" } });
      await writer.create(CONFIGMAPS, configMap(ns, `new-${i}`, "new"));
    }
    for (let i = N; i < N + D; i++) await writer.delete(CONFIGMAPS, ns, `cm-${i}`);

    await eventually(() => {
      const seenAfter = new Set(events.filter((e) => e.type === "MODIFIED" && e.object.data?.v === "after").map((e) => e.object.metadata.name));
      expect(seenAfter.size).toBe(N);
    }, { timeoutMs: 60_000, message: "every update seen" });
    await eventually(() => {
      expect(new Set(events.filter((e) => e.type === "ADDED" && e.object.data?.v === "new").map((e) => e.object.metadata.name)).size).toBe(N);
      expect(new Set(events.filter((e) => e.type === "DELETED").map((e) => e.object.metadata.name)).size).toBe(D);
    });
    expect(regressions).toEqual([]);
    // The cache is the server's state.
    const server = await writer.list<ConfigMap>(CONFIGMAPS, { namespace: ns });
    const state = (items: ConfigMap[]) => items.map((c) => `${c.metadata.name}=${c.data?.v}@${c.metadata.resourceVersion}`).sort();
    await eventually(() => expect(state(informer.list())).toEqual(state(server.items)));
    expect(informer.list().filter((c) => c.data?.v === "after")).toHaveLength(N);
  });
});

describe("a watch whose resourceVersion was compacted away", () => {
  it("fails with Gone; the informer relists, emits what changed, and converges", async () => {
    const ns = await namespace("gone");
    for (let i = 0; i < 10; i++) await writer.create(CONFIGMAPS, configMap(ns, `cm-${i}`, "before"));
    const gated = gatedClient(createKubeClient(loadConfig()));
    const informer = createInformer<ConfigMap>(gated, CONFIGMAPS, { namespace: ns, backoff: { baseMs: 100, capMs: 1000 } });
    const { events, regressions } = recorder(informer);
    await informer.start(stop.signal);
    const { resourceVersion: seen } = await writer.list(CONFIGMAPS, { namespace: ns });

    // Cut the informer off, change things, compact etcd past what it saw, and restart the API
    // server so its watch cache cannot serve that version either.
    gated.cut();
    for (let i = 0; i < 4; i++) {
      const cm = await writer.get<ConfigMap>(CONFIGMAPS, ns, `cm-${i}`);
      await writer.update(CONFIGMAPS, { ...cm, data: { v: "changed" } });
    }
    for (let i = 4; i < 7; i++) await writer.delete(CONFIGMAPS, ns, `cm-${i}`);
    for (let i = 0; i < 3; i++) await writer.create(CONFIGMAPS, configMap(ns, `new-${i}`, "new"));
    await compactEtcd();
    await cp.restart("kube-apiserver");

    // The client itself: a watch from the compacted version is a KubeApiError Gone.
    const direct = await writer.watch(CONFIGMAPS, { namespace: ns, resourceVersion: seen, timeoutSeconds: 10 }, () => undefined).then(() => undefined, (e: unknown) => e);
    expect(direct).toBeInstanceOf(KubeApiError);
    expect([(direct as KubeApiError).reason, (direct as KubeApiError).code]).toEqual(["Gone", 410]);

    const before = events.length;
    gated.release();
    await eventually(async () => {
      const server = await writer.list<ConfigMap>(CONFIGMAPS, { namespace: ns });
      const state = (items: ConfigMap[]) => items.map((c) => `${c.metadata.name}=${c.data?.v}@${c.metadata.resourceVersion}`).sort();
      expect(state(informer.list())).toEqual(state(server.items));
    }, { timeoutMs: 60_000, message: "the informer converges to the server" });
    expect(gated.gone).toBeGreaterThan(0);
    const synthetic = events.slice(before).map((e) => `${e.type} ${e.object.metadata.name ?? ""}`).sort();
    expect(synthetic).toEqual([
      ...[0, 1, 2, 3].map((i) => `MODIFIED cm-${i}`), ...[4, 5, 6].map((i) => `DELETED cm-${i}`), ...[0, 1, 2].map((i) => `ADDED new-${i}`),
    ].sort());
    expect(regressions).toEqual([]);

    // And it keeps watching after the relist.
    await writer.create(CONFIGMAPS, configMap(ns, "after-relist", "x"));
    await eventually(() => expect(informer.get(`${ns}/after-relist`)).toBeDefined());
  });
});
