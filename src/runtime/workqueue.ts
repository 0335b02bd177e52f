/**
 * The level-triggered work queue under every controller (client-go's workqueue semantics):
 *
 * - Keys are de-duplicated: adding a key that is already waiting does nothing, so a burst of
 *   events for one object costs one reconcile.
 * - A key is never handed out twice at once: a key added while it is processing waits ("dirty")
 *   and is queued again by `done`.
 * - Distinct keys come out in the order they were first added (FIFO).
 * - `addAfter` delays an add (the earliest pending time wins); `addRateLimited` delays by the
 *   rate limiter; `forget` clears a key's backoff.
 * - `shutdown` stops handing out keys and resolves once every key in flight is `done`
 *   (graceful drain); waiting keys are dropped, which is safe because reconciles are level-based.
 */
import { realClock, type Cancel, type Clock } from "./clock.ts";
import { defaultRateLimiter, type RateLimiter } from "./rate-limiter.ts";

/** What the queue reports; metrics.ts implements it with controller-runtime's metric names. */
export interface QueueMetricsSink {
  add(): void;
  depth(n: number): void;
  /** Seconds a key waited between add and get. */
  queued(seconds: number): void;
  /** Seconds between get and done. */
  worked(seconds: number): void;
  retry(): void;
}

export interface WorkQueueOptions {
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: QueueMetricsSink;
}

export class WorkQueue {
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #metrics: QueueMetricsSink | undefined;
  /** Keys ready to hand out, in order. */
  #queue: string[] = [];
  /** Keys that need processing (queued, or re-added while processing). Value: time added. */
  readonly #dirty = new Map<string, number>();
  /** Keys handed out and not yet done. Value: time handed out. */
  readonly #processing = new Map<string, number>();
  /** Delayed adds: the earliest time each key is due. */
  readonly #waiting = new Map<string, { at: number; cancel: Cancel }>();
  #getters: ((key: string | undefined) => void)[] = [];
  #shuttingDown = false;
  #drained: (() => void) | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? realClock;
    this.#limiter = options.rateLimiter ?? defaultRateLimiter(this.#clock);
    this.#metrics = options.metrics;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics?.add();
    this.#dirty.set(key, this.#clock.now());
    if (this.#processing.has(key)) return; // queued again by done()
    this.#enqueue(key);
  }

  /** Adds `key` after `ms`; a key already waiting keeps the earlier of the two times. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now() + ms;
    const existing = this.#waiting.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.#clock.after(ms, () => {
      this.#waiting.delete(key);
      this.add(key);
    });
    this.#waiting.set(key, { at, cancel });
  }

  /** Adds `key` after the rate limiter's delay (a retry after a failure). */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.#metrics?.retry();
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Clears the backoff of `key`; it does not remove the key from the queue. */
  forget(key: string): void {
    this.#limiter.forget(key);
  }

  /** Failures counted for `key` since its last `forget`. */
  retries(key: string): number {
    return this.#limiter.retries(key);
  }

  /** Keys ready to hand out. */
  len(): number {
    return this.#queue.length;
  }

  /** Keys handed out and not yet done. */
  inFlight(): number {
    return this.#processing.size;
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** The next key to process; `undefined` once the queue shuts down. Call `done` after. */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const key = this.#take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile it is queued again. */
  done(key: string): void {
    const started = this.#processing.get(key);
    if (started === undefined) return;
    this.#processing.delete(key);
    this.#metrics?.worked((this.#clock.now() - started) / 1000);
    if (this.#shuttingDown) {
      if (this.#processing.size === 0) this.#drained?.();
      return;
    }
    if (this.#dirty.has(key)) this.#enqueue(key);
  }

  /** Stops handing out keys and resolves when every key in flight is done. */
  shutdown(): Promise<void> {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      for (const { cancel } of this.#waiting.values()) cancel();
      this.#waiting.clear();
      this.#queue = [];
      this.#dirty.clear();
      this.#metrics?.depth(0);
      for (const resolve of this.#getters) resolve(undefined);
      this.#getters = [];
    }
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  #enqueue(key: string): void {
    const getter = this.#getters.shift();
    this.#queue.push(key);
    if (getter) getter(this.#take());
    else this.#metrics?.depth(this.#queue.length);
  }

  #take(): string | undefined {
    const key = this.#queue.shift();
    if (key === undefined) return undefined;
    const added = this.#dirty.get(key) ?? this.#clock.now();
    this.#dirty.delete(key);
    this.#processing.set(key, this.#clock.now());
    this.#metrics?.depth(this.#queue.length);
    this.#metrics?.queued((this.#clock.now() - added) / 1000);
    return key;
  }
}
