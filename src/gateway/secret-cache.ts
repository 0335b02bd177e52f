// A small TTL cache in front of a Secret read (pure but for the given read and clock): a provider
// key is read from the API server at most once per TTL per (namespace, name, key), so a rotated
// key is picked up within the TTL. A failed read is not kept (the next call reads again), nor is
// a missing or empty key (a Secret created to fix it is seen at once). Concurrent misses share one read.
// The cache holds key values: it never logs them, and nothing here puts them in an error.
import type { SecretRef } from "./resolve.ts";

export interface SecretCacheOptions {
  /** How long a read value is served without reading again (default 30 s). */
  readonly ttlMs?: number;
  /** Entries kept at most; the oldest is dropped beyond (default 256). */
  readonly maxEntries?: number;
  /** Milliseconds, monotonic (default performance.now). */
  readonly now?: () => number;
}

export const SECRET_CACHE_TTL_MS = 30_000;

type Read = (ref: SecretRef) => Promise<string | undefined>;

interface Entry {
  /** The read in flight, or the value read. */
  readonly value: Promise<string | undefined>;
  /** When the value stops being served; Infinity while the read is in flight. */
  expiresAt: number;
}

const keyOf = (ref: SecretRef): string => JSON.stringify([ref.namespace, ref.name, ref.key]);

/** `read` behind the cache: same answers, at most one read per TTL per ref while reads succeed. */
export function cachedSecretReader(read: Read, o: SecretCacheOptions = {}): Read {
  const ttlMs = o.ttlMs ?? SECRET_CACHE_TTL_MS;
  const maxEntries = o.maxEntries ?? 256;
  const now = o.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  return (ref) => {
    const key = keyOf(ref);
    const cached = entries.get(key);
    if (cached !== undefined && now() < cached.expiresAt) return cached.value;
    if (cached !== undefined) entries.delete(key);
    const entry: Entry = {
      value: read(ref).then(
        (value) => {
          if (entries.get(key) === entry) {
            if (value === undefined || value === "") entries.delete(key);
            else entry.expiresAt = now() + ttlMs;
          }
          return value;
        },
        (error: unknown) => {
          if (entries.get(key) === entry) entries.delete(key);
          throw error;
        },
      ),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value ?? "");
    return entry.value;
  };
}
