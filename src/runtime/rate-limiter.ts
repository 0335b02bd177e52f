/**
 * How long a failed key waits before its next try: the larger of a capped exponential per-key
 * backoff (one failing object slows only itself) and an overall token bucket (a storm of failing
 * objects cannot hammer the API server). client-go's DefaultControllerRateLimiter, same numbers.
 */
import type { Clock } from "./clock.ts";

export interface RateLimiter {
  /** Delay (ms) before `key` may be retried; counts one more failure of `key`. */
  when(key: string): number;
  /** Clears the failures of `key` (it succeeded, or we gave up on it). */
  forget(key: string): void;
  /** Failures of `key` counted since its last `forget`. */
  retries(key: string): number;
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface BucketOptions {
  /** Tokens added per second. */
  readonly qps: number;
  /** Tokens the bucket holds when full. */
  readonly burst: number;
}

export interface RateLimiterOptions {
  readonly backoff?: BackoffOptions;
  readonly bucket?: BucketOptions;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5, maxMs: 1_000_000 };
export const DEFAULT_BUCKET: BucketOptions = { qps: 10, burst: 100 };

/** baseMs · 2^failures, capped at maxMs. */
export class ExponentialBackoff implements RateLimiter {
  readonly #options: BackoffOptions;
  readonly #failures = new Map<string, number>();

  constructor(options: BackoffOptions = DEFAULT_BACKOFF) {
    this.#options = options;
  }

  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** failures overflows to Infinity long after the cap, so min() still holds.
    return Math.min(this.#options.baseMs * 2 ** failures, this.#options.maxMs);
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  retries(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * A token bucket shared by all keys: each retry reserves a token; when the bucket is empty the
 * reservation is still made, and the delay is how long until that token exists.
 */
export class TokenBucket implements RateLimiter {
  readonly #options: BucketOptions;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(clock: Clock, options: BucketOptions = DEFAULT_BUCKET) {
    this.#options = options;
    this.#clock = clock;
    this.#tokens = options.burst;
    this.#last = clock.now();
  }

  when(_key: string): number {
    const now = this.#clock.now();
    const refill = ((now - this.#last) / 1000) * this.#options.qps;
    this.#tokens = Math.min(this.#options.burst, this.#tokens + refill) - 1;
    this.#last = now;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#options.qps) * 1000;
  }

  forget(_key: string): void {}

  retries(_key: string): number {
    return 0;
  }
}

/** The largest delay of several limiters; each sees every failure. */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.#limiters) l.forget(key);
  }

  retries(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.retries(key)));
  }
}

/** Per-key capped exponential backoff combined with the overall token bucket. */
export function defaultRateLimiter(clock: Clock, options: RateLimiterOptions = {}): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialBackoff(options.backoff), new TokenBucket(clock, options.bucket));
}
