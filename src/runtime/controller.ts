/**
 * One controller: its sources feed keys into a work queue; N workers take keys and call the
 * reconciler; `decide` (outcome.ts) says what happens next and this file only carries it out.
 * A key is never reconciled twice at once (the queue guarantees it), whatever the worker count.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { apiVersionOf } from "../kube/resources.ts";
import type { KubeObject, Resource } from "../kube/types.ts";
import { realClock, type Clock } from "./clock.ts";
import { forRequests, keyOf, mappedRequests, ownerRequests, requestOf } from "./event-sources.ts";
import type { Metrics } from "./metrics.ts";
import { decide, type Decision, type Settled } from "./outcome.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { EventRecorder, Informer, InformerEvent, MapFunction, Reconciler, Request } from "./types.ts";
import { WorkQueue } from "./workqueue.ts";

export interface ControllerOptions {
  readonly name: string;
  readonly for: Informer<KubeObject>;
  readonly owns?: readonly Informer<KubeObject>[];
  readonly watches?: readonly { readonly informer: Informer<KubeObject>; readonly map: MapFunction }[];
  readonly reconciler: Reconciler;
  readonly events: EventRecorder;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly workers?: number;
  /** Reconcile only objects in these namespaces (cluster-scoped objects always); unset: all. */
  readonly namespaces?: readonly string[];
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly newReconcileId?: () => string;
}

export class Controller {
  readonly name: string;
  readonly #options: ControllerOptions;
  readonly #queue: WorkQueue;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  #unsubscribe: (() => void)[] = [];
  #workers: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#log = options.log.child({ controller: options.name, kind: options.for.resource.kind });
    this.#queue = new WorkQueue({
      clock: this.#clock,
      metrics: options.metrics.queueSink(options.name),
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    });
  }

  /** Subscribes to the sources and starts the workers (the informers may still be syncing). */
  start(): void {
    const workers = Math.max(1, this.#options.workers ?? 1);
    this.#options.metrics.initController(this.name, workers);
    const owner = this.#options.for.resource;
    const on = (informer: Informer<KubeObject>, requests: (e: InformerEvent<KubeObject>) => Request[]): void => {
      this.#unsubscribe.push(informer.subscribe((event) => this.enqueue(...requests(event))));
    };
    on(this.#options.for, forRequests);
    for (const informer of this.#options.owns ?? []) on(informer, (e) => ownerRequests(e, owner));
    for (const { informer, map } of this.#options.watches ?? []) on(informer, (e) => mappedRequests(e, map));
    // Objects already in the cache get one reconcile each, as after a (re)start.
    for (const obj of this.#options.for.list()) this.enqueue(...forRequests({ type: "ADDED", object: obj }));
    this.#workers = Array.from({ length: workers }, () => this.#work());
    this.#log.info({ workers }, "Started controller");
  }

  enqueue(...requests: Request[]): void {
    const scope = this.#options.namespaces;
    for (const request of requests) {
      if (!request.name) continue;
      if (scope !== undefined && request.namespace !== undefined && request.namespace !== "" && !scope.includes(request.namespace)) continue;
      this.#queue.add(keyOf(request));
    }
  }

  /** Graceful: no new reconciles; resolves when those in flight have finished. */
  async stop(): Promise<void> {
    this.#stopSources();
    await this.#queue.shutdown();
    await Promise.all(this.#workers);
    this.#log.info("Stopped controller");
  }

  /** Immediate: aborts the signals of reconciles in flight and hands out no more keys. */
  abort(): void {
    this.#stopSources();
    this.#abort.abort();
    void this.#queue.shutdown();
  }

  #stopSources(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      this.#options.metrics.activeWorkers.inc({ controller: this.name });
      try {
        await this.#reconcile(key);
      } catch (err) {
        // Only a bug of the loop itself gets here (reconciler errors are decided on); keep the worker.
        this.#log.error({ err, key }, "Reconcile loop failed");
        this.#queue.addRateLimited(key);
      } finally {
        this.#options.metrics.activeWorkers.dec({ controller: this.name });
        this.#queue.done(key);
      }
    }
  }

  async #reconcile(key: string): Promise<void> {
    const request = requestOf(key);
    const reconcileId = (this.#options.newReconcileId ?? randomUUID)();
    const log = this.#log.child({ namespace: request.namespace, name: request.name, reconcileId });
    const started = this.#clock.now();
    log.debug("Reconciling");
    let settled: Settled;
    try {
      settled = { ok: true, result: await this.#options.reconciler.reconcile(request, { log, signal: this.#abort.signal, reconcileId }) };
    } catch (error) {
      settled = { ok: false, error };
    }
    const decision = decide(settled);
    this.#options.metrics.reconcileTime.observe({ controller: this.name }, (this.#clock.now() - started) / 1000);
    this.#options.metrics.reconcileTotal.inc({ controller: this.name, result: decision.outcome });
    await this.#apply(key, decision, log);
  }

  async #apply(key: string, decision: Decision, log: Logger): Promise<void> {
    switch (decision.action) {
      case "forget":
        this.#queue.forget(key);
        log.debug("Reconcile done");
        return;
      case "requeueAfter":
        this.#queue.forget(key);
        this.#queue.addAfter(key, decision.delayMs);
        log.debug({ requeueAfter: decision.delayMs }, "Reconcile done, requeued after a delay");
        return;
      case "retry":
        if (decision.quiet) {
          log.debug({ err: decision.error }, "Reconcile hit a conflict, requeued");
        } else {
          this.#options.metrics.reconcileErrors.inc({ controller: this.name });
          log.error({ err: decision.error }, "Reconciler error");
        }
        this.#queue.addRateLimited(key);
        return;
      case "giveUp":
        this.#queue.forget(key);
        this.#options.metrics.reconcileErrors.inc({ controller: this.name });
        this.#options.metrics.terminalErrors.inc({ controller: this.name });
        log.error({ err: decision.error, reason: decision.error.reason }, "Reconciler error, not retried");
        await this.#warn(key, decision.error.reason, decision.error.message);
        return;
    }
  }

  /** The Warning event of a terminal error, on the object as the cache has it (gone: no event). */
  async #warn(key: string, reason: string, message: string): Promise<void> {
    const obj = this.#options.for.get(key);
    if (!obj) return;
    const res: Resource = this.#options.for.resource;
    const regarding = { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(res), kind: obj.kind ?? res.kind };
    await this.#options.events.record(regarding, "Warning", reason, message);
  }
}
