import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import type { KubeObject, Resource } from "../kube/types.ts";
import { Controller } from "./controller.ts";
import { TerminalError } from "./errors.ts";
import { FakeClock } from "./fake-clock.ts";
import { Metrics } from "./metrics.ts";
import { ExponentialBackoff } from "./rate-limiter.ts";
import { MemoryEventRecorder, MemoryInformer } from "./testing.ts";
import type { Request, Result } from "./types.ts";

const WIDGETS: Resource = { group: "test.dev", version: "v1", plural: "widgets", kind: "Widget", namespaced: true };
const PARTS: Resource = { group: "test.dev", version: "v1", plural: "parts", kind: "Part", namespaced: true };

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const widget = (name: string): KubeObject => ({ metadata: { name, namespace: "ns" } });

/** A controller over in-memory informers whose reconciler runs `behaviour` and records the calls. */
function harness(behaviour: (request: Request, call: number) => Promise<Result | void> | Result | void, workers = 1, namespaces?: readonly string[]) {
  const clock = new FakeClock();
  const widgets = new MemoryInformer(WIDGETS);
  const parts = new MemoryInformer(PARTS);
  const events = new MemoryEventRecorder();
  const metrics = new Metrics();
  const calls: string[] = [];
  const reconcileIds: string[] = [];
  let next = 0;
  const controller = new Controller({
    name: "widget",
    for: widgets,
    owns: [parts],
    watches: [{ informer: parts, map: (o) => (o.metadata.labels?.["widget"] ? [{ namespace: "ns", name: o.metadata.labels["widget"] }] : []) }],
    reconciler: {
      reconcile: async (request, ctx) => {
        calls.push(request.name);
        reconcileIds.push(ctx.reconcileId);
        return behaviour(request, calls.length);
      },
    },
    events,
    log: pino({ level: "silent" }),
    metrics,
    workers,
    clock,
    rateLimiter: new ExponentialBackoff({ baseMs: 100, maxMs: 1000 }),
    newReconcileId: () => `r${++next}`,
    ...(namespaces ? { namespaces } : {}),
  });
  const total = async (result: string): Promise<number> =>
    (await metrics.reconcileTotal.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  const errors = async (): Promise<number> => (await metrics.reconcileErrors.get()).values[0]?.value ?? 0;
  return { clock, widgets, parts, events, metrics, calls, reconcileIds, controller, total, errors };
}

describe("Controller loop", () => {
  it("reconciles existing objects on start and forgets them on success", async () => {
    const h = harness(() => ({}));
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    h.controller.start();
    await flush();
    expect(h.calls).toEqual(["a"]);
    expect(await h.total("success")).toBe(1);
    h.clock.advance(10_000);
    await flush();
    expect(h.calls).toEqual(["a"]);
    await h.controller.stop();
  });

  it("retries a thrown error with growing backoff and counts it", async () => {
    const h = harness((_r, call) => {
      if (call <= 2) throw new Error("boom");
      return {};
    });
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    expect(h.calls).toHaveLength(1);
    h.clock.advance(99);
    await flush();
    expect(h.calls).toHaveLength(1);
    h.clock.advance(1);
    await flush();
    expect(h.calls).toHaveLength(2); // after 100 ms
    h.clock.advance(199);
    await flush();
    expect(h.calls).toHaveLength(2);
    h.clock.advance(1);
    await flush();
    expect(h.calls).toHaveLength(3); // after 200 ms more
    expect(await h.total("error")).toBe(2);
    expect(await h.errors()).toBe(2);
    expect(await h.total("success")).toBe(1);
    await h.controller.stop();
  });

  it("does not retry a TerminalError, records a Warning with its reason and counts it", async () => {
    const h = harness(() => {
      throw new TerminalError("InvalidSpec", "spec.size must be positive");
    });
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    h.clock.advance(100_000);
    await flush();
    expect(h.calls).toEqual(["a"]);
    expect(h.events.events).toEqual([{ kind: "Widget", name: "a", type: "Warning", reason: "InvalidSpec", message: "spec.size must be positive" }]);
    expect(await h.total("terminal")).toBe(1);
    expect(await h.errors()).toBe(1);
    expect((await h.metrics.terminalErrors.get()).values[0]?.value).toBe(1);
    await h.controller.stop();
  });

  it("requeues after the asked delay with the backoff cleared", async () => {
    const h = harness((_r, call) => (call === 1 ? Promise.reject(new Error("once")) : call === 2 ? { requeueAfter: 5000 } : {}));
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    h.clock.advance(100);
    await flush();
    expect(h.calls).toHaveLength(2);
    h.clock.advance(4999);
    await flush();
    expect(h.calls).toHaveLength(2);
    h.clock.advance(1);
    await flush();
    expect(h.calls).toHaveLength(3);
    expect(await h.total("requeue_after")).toBe(1);
    await h.controller.stop();
  });

  it("requeues a conflict quietly: counted as requeue, not as an error", async () => {
    const h = harness((_r, call) => {
      if (call === 1) throw new KubeApiError("Conflict", 409, "the object has been modified");
      return {};
    });
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    h.clock.advance(100);
    await flush();
    expect(h.calls).toEqual(["a", "a"]);
    expect(await h.total("requeue")).toBe(1);
    expect(await h.errors()).toBe(0);
    await h.controller.stop();
  });

  it("gives each reconcile its own id", async () => {
    const h = harness(() => ({}));
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    h.widgets.emit({ type: "MODIFIED", object: widget("a") });
    await flush();
    expect(h.reconcileIds).toEqual(["r1", "r2"]);
    await h.controller.stop();
  });

  it("enqueues the controller owner of an owned object and the targets of a watch", async () => {
    const h = harness(() => ({}));
    h.controller.start();
    const ref = { apiVersion: "test.dev/v1", kind: "Widget", name: "owner", uid: "u", controller: true };
    h.parts.emit({ type: "ADDED", object: { metadata: { name: "p1", namespace: "ns", ownerReferences: [ref] } } });
    await flush();
    h.parts.emit({ type: "DELETED", object: { metadata: { name: "p2", namespace: "ns", labels: { widget: "watched" } } } });
    await flush();
    h.parts.emit({ type: "ADDED", object: { metadata: { name: "p3", namespace: "ns", ownerReferences: [{ ...ref, controller: false }] } } });
    await flush();
    expect(h.calls).toEqual(["owner", "watched"]);
    await h.controller.stop();
  });

  it("with namespaces set, reconciles only objects there (cluster-scoped ones always)", async () => {
    const h = harness(() => ({}), 1, ["mine"]);
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: { metadata: { name: "theirs", namespace: "other" } } });
    h.widgets.emit({ type: "ADDED", object: { metadata: { name: "ours", namespace: "mine" } } });
    h.controller.enqueue({ name: "cluster-scoped" });
    await flush();
    expect(h.calls.sort()).toEqual(["cluster-scoped", "ours"]);
    await h.controller.stop();
  });

  it("never runs one key twice at once with many workers, and collapses a burst", async () => {
    const running = new Set<string>();
    const releases: (() => void)[] = [];
    let overlaps = 0;
    const h = harness(async (request) => {
      if (running.has(request.name)) overlaps++;
      running.add(request.name);
      await new Promise<void>((resolve) => releases.push(resolve));
      running.delete(request.name);
    }, 4);
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    for (let i = 0; i < 10; i++) h.widgets.emit({ type: "MODIFIED", object: widget("a") }); // burst while "a" runs
    h.widgets.emit({ type: "ADDED", object: widget("b") });
    await flush();
    expect(h.calls).toEqual(["a", "b"]);
    while (releases.length > 0) {
      releases.shift()!();
      await flush();
    }
    expect(h.calls).toEqual(["a", "b", "a"]);
    expect(overlaps).toBe(0);
    await h.controller.stop();
  });

  it("stops gracefully: waits for the reconcile in flight, starts no new one", async () => {
    let release!: () => void;
    const h = harness(() => new Promise<void>((resolve) => (release = resolve)));
    h.controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    h.widgets.emit({ type: "ADDED", object: widget("b") });
    await flush();
    let stopped = false;
    const stopping = h.controller.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    release();
    await stopping;
    h.widgets.emit({ type: "ADDED", object: widget("c") });
    await flush();
    expect(h.calls).toEqual(["a"]);
  });

  it("aborts the signal of reconciles in flight on abort", async () => {
    let seen: AbortSignal | undefined;
    const h = harness(() => new Promise<void>(() => {}));
    const controller = new Controller({
      name: "w2", for: h.widgets, reconciler: { reconcile: async (_r, ctx) => { seen = ctx.signal; } }, events: h.events, log: pino({ level: "silent" }), metrics: new Metrics(), clock: h.clock,
    });
    controller.start();
    h.widgets.emit({ type: "ADDED", object: widget("a") });
    await flush();
    expect(seen?.aborted).toBe(false);
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });
});
