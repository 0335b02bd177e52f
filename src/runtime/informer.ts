/**
 * An Informer over KubeClient: a paginated list, then a watch from the list's resourceVersion
 * with bookmarks. A watch that ends or fails is resumed from the last resourceVersion seen
 * (event or bookmark); when the server answers Gone (that version is compacted away) the
 * informer lists again and emits the difference between its cache and the fresh list as
 * synthetic events, so handlers miss no change and never see an object go back in time.
 * Failures back off (capped, jittered) and are logged; the informer never gives up while
 * its signal is live. Cached objects are shared with every reader: never mutate them.
 * `start` is idempotent (the first signal wins) and its promise is the way to wait for sync.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { pino, type Logger } from "pino";
import { isGone, isKubeApiError, type KubeApiError } from "../kube/errors.ts";
import { resourceId } from "../kube/resources.ts";
import type { KubeClient, KubeObject, Resource, WatchEventType } from "../kube/types.ts";
import { InformerStore, backoffDelay, compareResourceVersions, decideWatchEvent, diffRelist, isNewer, objectKey } from "./informer-store.ts";
import type { Informer, InformerEvent } from "./types.ts";

const TRANSIENT: ReadonlySet<string> = new Set(["Unreachable", "ServiceUnavailable", "TooManyRequests", "Timeout"]);

/** Failures an API server restart or overload produces, which a retry is expected to clear. */
export function isTransient(err: unknown): boolean {
  return isKubeApiError(err) && TRANSIENT.has(err.reason);
}

export interface InformerOptions {
  /** Watch one namespace only (ignored for cluster-scoped resources). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly log?: Logger;
  /** Items per list page. */
  readonly pageSize?: number;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  /** How long the server keeps one watch open; random by default so informers do not re-watch in step. */
  readonly watchTimeoutSeconds?: () => number;
  readonly random?: () => number;
}

const DEFAULT_BACKOFF = { baseMs: 200, capMs: 30_000 };
/** A watch that ends this soon without any event counts as a failure (no hot loop). */
const SHORT_WATCH_MS = 1000;

export function createInformer<T extends KubeObject>(client: KubeClient, resource: Resource, options: InformerOptions = {}): Informer<T> {
  return new ListWatchInformer<T>(client, resource, options);
}

class ListWatchInformer<T extends KubeObject> implements Informer<T> {
  readonly resource: Resource;
  readonly #client: KubeClient;
  readonly #options: InformerOptions;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #store = new InformerStore<T>();
  readonly #handlers = new Set<(event: InformerEvent<T>) => void>();
  #lastResourceVersion = "";
  #synced = false;
  #started: Promise<void> | undefined;

  constructor(client: KubeClient, resource: Resource, options: InformerOptions) {
    this.resource = resource;
    this.#client = client;
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#log = (options.log ?? pino({ level: "silent" })).child({ informer: resourceId(resource) });
  }

  start(signal: AbortSignal): Promise<void> {
    this.#started ??= new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(new Error(`Informer for ${resourceId(this.resource)} stopped before its first list`));
      signal.addEventListener("abort", onAbort, { once: true });
      void this.#run(signal, () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
    return this.#started;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  get(key: string): T | undefined {
    return this.#store.get(key);
  }

  list(namespace?: string): T[] {
    return this.#store.list(namespace);
  }

  addIndex(name: string, indexFn: (obj: T) => string[]): void {
    this.#store.addIndex(name, indexFn);
  }

  byIndex(name: string, value: string): T[] {
    if (!this.#store.hasIndex(name)) throw new Error(`Informer for ${resourceId(this.resource)} has no index ${name}`);
    return this.#store.byIndex(name, value);
  }

  /** A handler added after the first list is first told of every cached object (ADDED), as client-go does. */
  subscribe(handler: (event: InformerEvent<T>) => void): () => void {
    if (this.#synced) for (const object of this.#store.items.values()) this.#call(handler, { type: "ADDED", object });
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async #run(signal: AbortSignal, onSynced: () => void): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#relist(signal);
          needList = false;
          failures = 0;
          if (!this.#synced && !signal.aborted) {
            this.#synced = true;
            onSynced();
          }
        }
        const began = Date.now();
        const delivered = await this.#watch(signal);
        if (signal.aborted) break;
        if (delivered || Date.now() - began >= SHORT_WATCH_MS) {
          failures = 0;
          continue; // a watch that ran its time: resume at once
        }
        failures++;
        this.#log.debug({ resourceVersion: this.#lastResourceVersion }, "Watch ended at once; resuming after a pause");
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        if (isGone(err)) {
          needList = true;
          this.#log.info({ resourceVersion: this.#lastResourceVersion }, "Watch expired (410 Gone); relisting");
          if (failures === 1) continue; // the first Gone relists at once
        } else {
          const msg = needList ? "List failed; retrying" : "Watch failed; resuming";
          // An API server restart shows as a few transient failures: worth a line, not a stack
          // trace. Repeated failures, or any other kind, are warnings with the whole error.
          if (failures < 3 && isTransient(err)) {
            this.#log.info({ reason: (err as KubeApiError).reason, message: (err as Error).message, failures, resourceVersion: this.#lastResourceVersion }, msg);
          } else {
            this.#log.warn({ err, failures, resourceVersion: this.#lastResourceVersion }, msg);
          }
        }
      }
      const delay = backoffDelay(failures, this.#options.backoff ?? DEFAULT_BACKOFF, this.#random);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Lists every page and brings the cache to it, emitting what changed. */
  async #relist(signal: AbortSignal): Promise<void> {
    const { namespace, labelSelector } = this.#scope();
    let items: T[] = [];
    let resourceVersion: string;
    let next: string | undefined;
    try {
      do {
        const page = await this.#client.list<T>(this.resource, { namespace, labelSelector, limit: this.#options.pageSize ?? 500, ...(next ? { continue: next } : {}) });
        items.push(...page.items);
        resourceVersion = page.resourceVersion;
        next = page.continue;
      } while (next && !signal.aborted);
    } catch (err) {
      if (!(isGone(err) && next)) throw err;
      // The continue token expired between pages: one unpaginated list instead.
      const all = await this.#client.list<T>(this.resource, { namespace, labelSelector });
      items = all.items;
      resourceVersion = all.resourceVersion;
    }
    if (signal.aborted) return;
    const events = diffRelist(this.#store.items, items);
    for (const event of events) this.#emit(event);
    this.#lastResourceVersion = resourceVersion;
    this.#log.debug({ items: items.length, changes: events.length, resourceVersion }, "Listed");
  }

  /** Watches from the last resourceVersion until the watch ends; returns whether anything arrived. */
  async #watch(signal: AbortSignal): Promise<boolean> {
    const { namespace, labelSelector } = this.#scope();
    let delivered = false;
    const timeoutSeconds = this.#options.watchTimeoutSeconds?.() ?? Math.round(300 + this.#random() * 300);
    await this.#client.watch<T>(
      this.resource,
      { namespace, labelSelector, resourceVersion: this.#lastResourceVersion, allowWatchBookmarks: true, timeoutSeconds, signal },
      (type, obj) => {
        delivered = true;
        this.#onWatchEvent(type, obj);
      },
    );
    return delivered;
  }

  #onWatchEvent(type: WatchEventType, obj: T): void {
    const rv = obj.metadata.resourceVersion;
    if (type === "BOOKMARK") {
      if (rv && isNewer(rv, this.#lastResourceVersion)) this.#lastResourceVersion = rv;
      return;
    }
    // Events of one watch come in resourceVersion order; anything not after what we have seen is stale.
    const order = compareResourceVersions(rv, this.#lastResourceVersion);
    if (order !== undefined && order <= 0) return;
    if (rv) this.#lastResourceVersion = rv;
    const event = decideWatchEvent(this.#store.get(objectKey(obj)), type, obj);
    if (event) this.#emit(event);
  }

  #emit(event: InformerEvent<T>): void {
    this.#store.apply(event);
    for (const handler of this.#handlers) this.#call(handler, event);
  }

  #call(handler: (event: InformerEvent<T>) => void, event: InformerEvent<T>): void {
    try {
      handler(event);
    } catch (err) {
      // One broken handler must not stop the cache or the other handlers.
      this.#log.error({ err, type: event.type, key: objectKey(event.object) }, "Informer event handler threw");
    }
  }

  #scope(): { namespace: string | undefined; labelSelector: string | undefined } {
    return { namespace: this.resource.namespaced ? this.#options.namespace : undefined, labelSelector: this.#options.labelSelector };
  }
}
