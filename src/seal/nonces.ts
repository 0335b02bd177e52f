// Remembers nonces long enough that a replayed envelope is caught for as long as its timestamp
// could still pass the freshness check, and no longer. Bounded: when full of live nonces it
// refuses new ones (ReplayCacheFull) rather than forgetting one, since a forgotten nonce is a
// replay window. Retention is counted from when a nonce is recorded, so entries expire in
// insertion order and expiry is a sweep from the front of the Map (O(1) amortized).

export type NonceVerdict = "fresh" | "replayed" | "full";

export interface NonceCache {
  /** Records `key` unless it is already live. */
  record(key: string): NonceVerdict;
  readonly size: number;
}

export interface NonceCacheOptions {
  readonly capacity: number;
  /** How long a nonce is remembered. At least past + future freshness window: an envelope
   *  accepted now may carry a timestamp up to one window ahead, and stays fresh one window after it. */
  readonly retentionMs: number;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export function createNonceCache(options: NonceCacheOptions): NonceCache {
  if (!(options.capacity > 0)) throw new Error("nonce cache capacity must be positive");
  const expiries = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [key, expiry] of expiries) {
      if (expiry > now) break;
      expiries.delete(key);
    }
  };
  return {
    record(key) {
      const now = options.clock();
      sweep(now);
      if (expiries.has(key)) return "replayed";
      if (expiries.size >= options.capacity) return "full";
      expiries.set(key, now + options.retentionMs);
      return "fresh";
    },
    get size() {
      return expiries.size;
    },
  };
}
