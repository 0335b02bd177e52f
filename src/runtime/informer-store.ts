/**
 * The pure parts of an informer: object keys, resourceVersion ordering, what a watch event or
 * a relist means for the cache (which events to emit), and the indexed store itself (memory
 * only, no I/O). informer.ts does the listing and watching around them.
 */
import type { KubeObject } from "../kube/types.ts";
import type { InformerEvent } from "./types.ts";

/** "namespace/name", or "name" for cluster-scoped objects. */
export const objectKey = (obj: KubeObject): string => {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ""}` : (name ?? "");
};

const NUMERIC = /^\d+$/;

/**
 * Orders two resourceVersions: negative, zero or positive, or undefined when they cannot be
 * compared. Kubernetes calls them opaque, but every API server backed by etcd uses the etcd
 * revision, a decimal integer; anything else is not ordered (and then treated as newer).
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !NUMERIC.test(a) || !NUMERIC.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** True unless `candidate` is known to be the same as or older than `current`. */
export const isNewer = (candidate: string | undefined, current: string | undefined): boolean => {
  const order = compareResourceVersions(candidate, current);
  return order === undefined ? candidate !== current : order > 0;
};

/**
 * What one watch event means given the cached object: the event to emit, or undefined when it
 * is stale (not newer than what the cache has) or deletes something never seen. An ADDED for
 * a known object is a MODIFIED and a MODIFIED for an unknown one an ADDED, so handlers never
 * see an older version after a newer one.
 */
export function decideWatchEvent<T extends KubeObject>(cached: T | undefined, type: "ADDED" | "MODIFIED" | "DELETED", obj: T): InformerEvent<T> | undefined {
  if (type === "DELETED") {
    if (!cached) return undefined;
    const order = compareResourceVersions(obj.metadata.resourceVersion, cached.metadata.resourceVersion);
    return order !== undefined && order < 0 ? undefined : { type: "DELETED", object: obj };
  }
  if (!cached) return { type: "ADDED", object: obj };
  if (!isNewer(obj.metadata.resourceVersion, cached.metadata.resourceVersion)) return undefined;
  return { type: "MODIFIED", object: obj, old: cached };
}

/**
 * The events that take the cache to a fresh list: ADDED for new objects, MODIFIED for newer
 * versions, DELETED (with the last cached state) for objects gone, and DELETED then ADDED for
 * a name whose object was replaced (another uid) while we were not watching.
 */
export function diffRelist<T extends KubeObject>(cache: ReadonlyMap<string, T>, fresh: readonly T[]): InformerEvent<T>[] {
  const events: InformerEvent<T>[] = [];
  const seen = new Set<string>();
  for (const obj of fresh) {
    const key = objectKey(obj);
    seen.add(key);
    const cached = cache.get(key);
    if (!cached) {
      events.push({ type: "ADDED", object: obj });
    } else if (cached.metadata.uid && obj.metadata.uid && cached.metadata.uid !== obj.metadata.uid) {
      events.push({ type: "DELETED", object: cached }, { type: "ADDED", object: obj });
    } else if (isNewer(obj.metadata.resourceVersion, cached.metadata.resourceVersion)) {
      events.push({ type: "MODIFIED", object: obj, old: cached });
    }
  }
  for (const [key, cached] of cache) if (!seen.has(key)) events.push({ type: "DELETED", object: cached });
  return events;
}

export type IndexFunction<T> = (obj: T) => string[];

/** Objects by key, plus indexes (namespace built in) from index values to keys. */
export class InformerStore<T extends KubeObject> {
  readonly #items = new Map<string, T>();
  readonly #indexFns = new Map<string, IndexFunction<T>>();
  readonly #indexes = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndex(NAMESPACE_INDEX, (obj) => (obj.metadata.namespace ? [obj.metadata.namespace] : []));
  }

  get items(): ReadonlyMap<string, T> {
    return this.#items;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  list(namespace?: string): T[] {
    return namespace === undefined ? [...this.#items.values()] : this.byIndex(NAMESPACE_INDEX, namespace);
  }

  /** Adds (or replaces) an index and builds it over what is cached already. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    this.#indexFns.set(name, fn);
    this.#indexes.set(name, new Map());
    for (const [key, obj] of this.#items) this.#indexObject(name, fn, key, obj);
  }

  hasIndex(name: string): boolean {
    return this.#indexFns.has(name);
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.#indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.#items.get(k)).filter((o): o is T => o !== undefined);
  }

  /** Applies an event to the store (DELETED removes, the others put). */
  apply(event: InformerEvent<T>): void {
    if (event.type === "DELETED") this.#remove(objectKey(event.object));
    else this.#put(event.object);
  }

  #put(obj: T): void {
    const key = objectKey(obj);
    this.#remove(key);
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexFns) this.#indexObject(name, fn, key, obj);
  }

  #remove(key: string): void {
    const old = this.#items.get(key);
    if (!old) return;
    this.#items.delete(key);
    for (const [name, fn] of this.#indexFns) {
      const index = this.#indexes.get(name);
      for (const value of safeIndex(fn, old)) {
        const keys = index?.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index?.delete(value);
      }
    }
  }

  #indexObject(name: string, fn: IndexFunction<T>, key: string, obj: T): void {
    const index = this.#indexes.get(name);
    if (!index) return;
    for (const value of safeIndex(fn, obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }
}

/** The built-in index: objects by namespace. */
export const NAMESPACE_INDEX = "namespace";

/** An index function that throws indexes nothing rather than breaking the cache. */
function safeIndex<T>(fn: IndexFunction<T>, obj: T): string[] {
  try {
    return [...new Set(fn(obj))];
  } catch {
    return [];
  }
}

/** Capped exponential backoff with equal jitter: attempt 1 → base/2..base, doubling to cap/2..cap. */
export function backoffDelay(attempt: number, options: { baseMs: number; capMs: number }, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
