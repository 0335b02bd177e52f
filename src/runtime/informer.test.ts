// The informer's loop decisions with a scripted client: what it asks the server for after a
// watch ends, fails, or expires. (Behaviour against the real API server: test/integration.)
import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import { CONFIGMAPS } from "../kube/resources.ts";
import type { KubeClient, KubeObject, ListOptions, WatchEventType, WatchOptions } from "../kube/types.ts";
import { createInformer } from "./informer.ts";
import { createInformerFactory } from "./informer-factory.ts";
import type { InformerEvent } from "./types.ts";

const cm = (name: string, rv: string, v = ""): KubeObject => ({ metadata: { name, namespace: "ns", resourceVersion: rv, uid: name }, data: { v } });

type WatchStep = { events: [WatchEventType, KubeObject][]; then: "end" | KubeApiError };

/** Lists answer from `lists` in turn (the last repeats); watches play `watches` in turn, then wait for abort. */
function scripted(lists: ({ items: KubeObject[]; resourceVersion: string } | KubeApiError)[], watches: WatchStep[]) {
  const calls: string[] = [];
  const client = {
    async list(_res: unknown, options: ListOptions = {}) {
      calls.push(`list${options.continue ? ` continue=${options.continue}` : ""}`);
      const next = lists.length > 1 ? lists.shift()! : lists[0]!;
      if (next instanceof KubeApiError) throw next;
      return next;
    },
    async watch(_res: unknown, options: WatchOptions, onEvent: (type: WatchEventType, obj: KubeObject) => void) {
      calls.push(`watch from ${options.resourceVersion}`);
      const step = watches.shift();
      if (!step) {
        await new Promise((resolve) => options.signal?.addEventListener("abort", resolve));
        return;
      }
      for (const [type, obj] of step.events) onEvent(type, obj);
      if (step.then !== "end") throw step.then;
    },
  } as unknown as KubeClient;
  return { client, calls };
}

const fast = { backoff: { baseMs: 1, capMs: 2 }, watchTimeoutSeconds: () => 60 };

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("the informer loop", () => {
  it("resumes a failed watch from the last resourceVersion seen, bookmarks included, without relisting", async () => {
    const { client, calls } = scripted([{ items: [cm("a", "10")], resourceVersion: "10" }], [
      { events: [["MODIFIED", cm("a", "11", "x")], ["BOOKMARK", { metadata: { resourceVersion: "15" } }]], then: new KubeApiError("Unreachable", 0, "reset") },
      { events: [["MODIFIED", cm("a", "16", "y")]], then: "end" },
    ]);
    const informer = createInformer(client, CONFIGMAPS, { namespace: "ns", ...fast });
    const stop = new AbortController();
    await informer.start(stop.signal);
    await until(() => calls.length >= 3);
    stop.abort();
    expect(calls.slice(0, 3)).toEqual(["list", "watch from 10", "watch from 15"]);
    await until(() => informer.get("ns/a")?.metadata.resourceVersion === "16");
  });

  it("relists on Gone and emits the difference as events", async () => {
    const { client, calls } = scripted(
      [{ items: [cm("a", "10"), cm("b", "10")], resourceVersion: "10" }, { items: [cm("a", "30", "new"), cm("c", "25")], resourceVersion: "30" }],
      [{ events: [], then: new KubeApiError("Gone", 410, "too old") }],
    );
    const informer = createInformer(client, CONFIGMAPS, { namespace: "ns", ...fast });
    const events: string[] = [];
    informer.subscribe((e) => events.push(`${e.type} ${e.object.metadata.name ?? ""}@${e.object.metadata.resourceVersion ?? ""}`));
    const stop = new AbortController();
    await informer.start(stop.signal);
    await until(() => calls.includes("watch from 30"));
    stop.abort();
    expect(calls.slice(0, 4)).toEqual(["list", "watch from 10", "list", "watch from 30"]);
    expect(events).toEqual(["ADDED a@10", "ADDED b@10", "MODIFIED a@30", "ADDED c@25", "DELETED b@10"]);
    expect(informer.list().map((o) => o.metadata.name).sort()).toEqual(["a", "c"]);
  });

  it("drops events older than what it has seen", async () => {
    const { client } = scripted([{ items: [cm("a", "10")], resourceVersion: "10" }], [
      { events: [["MODIFIED", cm("a", "9", "old")], ["MODIFIED", cm("a", "12", "new")], ["MODIFIED", cm("a", "11", "older")]], then: "end" },
    ]);
    const informer = createInformer(client, CONFIGMAPS, { namespace: "ns", ...fast });
    const seen: InformerEvent<KubeObject>[] = [];
    informer.subscribe((e) => seen.push(e));
    const stop = new AbortController();
    await informer.start(stop.signal);
    await until(() => informer.get("ns/a")?.metadata.resourceVersion === "12");
    stop.abort();
    expect(seen.map((e) => e.object.metadata.resourceVersion)).toEqual(["10", "12"]);
  });

  it("keeps going when a handler throws", async () => {
    const { client } = scripted([{ items: [cm("a", "1"), cm("b", "2")], resourceVersion: "2" }], []);
    const informer = createInformer(client, CONFIGMAPS, { namespace: "ns", ...fast });
    const names: string[] = [];
    informer.subscribe(() => {
      throw new Error("broken handler");
    });
    informer.subscribe((e) => names.push(e.object.metadata.name ?? ""));
    const stop = new AbortController();
    await informer.start(stop.signal);
    stop.abort();
    expect(names).toEqual(["a", "b"]);
  });

  it("retries a failing first list and rejects start when stopped before it ever lists", async () => {
    const { client, calls } = scripted([new KubeApiError("Unreachable", 0, "refused")], []);
    const informer = createInformer(client, CONFIGMAPS, { namespace: "ns", ...fast });
    const stop = new AbortController();
    const started = informer.start(stop.signal);
    await until(() => calls.length >= 3);
    stop.abort();
    await expect(started).rejects.toThrow(/stopped before its first list/);
    expect(informer.hasSynced()).toBe(false);
  });
});

describe("the informer factory", () => {
  it("shares one informer per resource and does not leak a rejection when stopped before a late informer lists", async () => {
    const { client } = scripted([new KubeApiError("Unreachable", 0, "refused")], []);
    const factory = createInformerFactory(client, fast);
    const stop = new AbortController();
    const started = factory.start(stop.signal);
    const late = factory.informer(CONFIGMAPS);
    expect(factory.informer({ ...CONFIGMAPS })).toBe(late);
    stop.abort();
    await expect(started).resolves.toBeUndefined(); // nothing was asked for before start
    await expect(factory.waitForSync()).rejects.toThrow(/stopped before its first list/);
    expect(factory.hasSynced()).toBe(false);
  });
});
