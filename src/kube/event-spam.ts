/**
 * Pure: the spam filter an EventRecorder puts in front of the API server. A model that keeps
 * calling a denied tool, or a controller stuck on the same error, would otherwise write one Event
 * per attempt into etcd. Each key (object + type + reason) has a token bucket, as client-go's
 * event correlator does per object: a burst is recorded, then one per refill period; what was
 * dropped is counted and reported on the next Event that gets through, so nothing is hidden.
 */
export interface SpamFilterOptions {
  /** Events recorded at once for one key before the rate applies. */
  readonly burst: number;
  /** One more Event for a key per this many milliseconds. */
  readonly refillMs: number;
  /** Keys remembered; the least recently seen is forgotten first (bounded memory). */
  readonly maxKeys: number;
}

export const DEFAULT_SPAM_FILTER: SpamFilterOptions = { burst: 25, refillMs: 60_000, maxKeys: 4096 };

export type SpamDecision =
  | { readonly record: true; /** Events of this key dropped since the last one recorded. */ readonly suppressed: number }
  | { readonly record: false };

interface Bucket {
  tokens: number;
  updatedAt: number;
  suppressed: number;
}

export class EventSpamFilter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly options: SpamFilterOptions;

  constructor(options: SpamFilterOptions = DEFAULT_SPAM_FILTER) {
    this.options = options;
  }

  decide(key: string, nowMs: number): SpamDecision {
    const { burst, refillMs, maxKeys } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: nowMs, suppressed: 0 };
    // Re-insert so Map order is least recently seen first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > maxKeys) this.buckets.delete(this.buckets.keys().next().value!);

    const elapsed = Math.max(0, nowMs - bucket.updatedAt);
    const refilled = Math.floor(elapsed / refillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(burst, bucket.tokens + refilled);
      bucket.updatedAt += refilled * refillMs;
    }
    if (bucket.tokens >= burst) bucket.updatedAt = Math.max(bucket.updatedAt, nowMs);
    if (bucket.tokens < 1) {
      bucket.suppressed += 1;
      return { record: false };
    }
    bucket.tokens -= 1;
    const suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return { record: true, suppressed };
  }

  /** Keys held now (for tests of the memory bound). */
  get size(): number {
    return this.buckets.size;
  }
}

/** The note of an Event that follows dropped ones. */
export function withSuppressedCount(message: string, suppressed: number): string {
  return suppressed === 0 ? message : `${message} (${suppressed} similar event${suppressed === 1 ? "" : "s"} not recorded)`;
}
