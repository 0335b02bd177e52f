/**
 * Leader election on a Lease (the I/O around lease.ts). A candidate tries every retry period
 * (jittered) until it holds the Lease; the leader renews every retry period with the Lease's
 * resourceVersion, so a concurrent writer makes the update fail with Conflict instead of two
 * holders. A leader that has not renewed for `renewDeadline` (measured from the START of its
 * last successful attempt, which is before the write landed) declares the lease lost: since
 * renewDeadline < leaseDuration, it stops before any standby can take over.
 */
import type { Logger } from "pino";
import { isAlreadyExists, isConflict, isNotFound } from "../kube/errors.ts";
import { LEASES } from "../kube/resources.ts";
import type { KubeClient } from "../kube/types.ts";
import { realClock, sleep, type Clock } from "./clock.ts";
import { decideLease, leaseFor, observe, releasedLease, type Lease, type Observation } from "./lease.ts";

export interface LeaderElectorOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface LeaderCallbacks {
  /** We hold the Lease: start the controllers. */
  onStartedLeading(): void;
  /** We lost the Lease (not on release): stop reconciling NOW. */
  onStoppedLeading(): void;
}

const JITTER = 0.2;

export class LeaderElector {
  readonly #o: LeaderElectorOptions;
  readonly #clock: Clock;
  readonly #stop = new AbortController();
  #observation: Observation | undefined;
  #lease: Lease | undefined;
  #leader = false;
  #lastHolder: string | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? realClock;
  }

  isLeader(): boolean {
    return this.#leader;
  }

  /** Campaigns, then renews, until the Lease is lost or `release` is called. */
  run(callbacks: LeaderCallbacks): Promise<void> {
    this.#loop ??= this.#run(callbacks);
    return this.#loop;
  }

  /**
   * Stops campaigning and renewing; if we lead, writes the Lease with no holder so a standby
   * takes over at once. Call after the controllers have drained.
   */
  async release(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    this.#leader = false;
    // Also when an attempt won the lease just as we stopped: we hold it, so we hand it back.
    if (this.#lease?.spec?.holderIdentity !== this.#o.identity) return;
    try {
      await this.#o.client.update(LEASES, releasedLease(this.#lease, this.#clock.now()));
      this.#o.log.info({ lease: this.#o.name }, "Released leader lease");
    } catch (err) {
      // The lease then simply expires; nothing else to do on the way out.
      this.#o.log.warn({ err, lease: this.#o.name }, "Could not release leader lease");
    }
  }

  async #run(callbacks: LeaderCallbacks): Promise<void> {
    const signal = this.#stop.signal;
    this.#o.log.info({ lease: `${this.#o.namespace}/${this.#o.name}`, identity: this.#o.identity }, "Attempting to acquire leader lease");
    for (let result = await this.#attempt(); !signal.aborted && !result.ok; result = await this.#attempt()) {
      const retry = this.#o.retryPeriodMs * (1 + JITTER * (this.#o.random ?? Math.random)());
      // Try again right when the holder's lease runs out, not up to a retry period later.
      const untilExpiry = result.expiresAt === undefined ? retry : Math.max(0, result.expiresAt - this.#clock.now()) + 1;
      await sleep(this.#clock, Math.min(retry, untilExpiry), signal);
    }
    if (signal.aborted) return;
    this.#leader = true;
    callbacks.onStartedLeading();
    await this.#renewLoop(signal);
    if (signal.aborted) return; // released on purpose: release() writes the Lease
    this.#leader = false;
    callbacks.onStoppedLeading();
  }

  /** Renews until a renewal fails for renewDeadline or another holder shows up. */
  async #renewLoop(signal: AbortSignal): Promise<void> {
    let lastStart = this.#lastAttemptStart;
    for (;;) {
      const deadline = lastStart + this.#o.renewDeadlineMs;
      await sleep(this.#clock, Math.min(this.#o.retryPeriodMs, deadline - this.#clock.now()), signal);
      if (signal.aborted) return;
      const start = this.#clock.now();
      if (start >= deadline) return this.#lost("renew deadline passed");
      const result = await this.#withDeadline(this.#attempt(), deadline - start);
      if (signal.aborted) return;
      if (result.ok) lastStart = start;
      else if (result.otherHolder) return this.#lost(`lease taken by ${result.otherHolder}`);
    }
  }

  #lost(why: string): void {
    this.#o.log.error({ lease: this.#o.name, why }, "Lost leader lease");
  }

  #lastAttemptStart = 0;

  /** One try: read the Lease, decide, write. Never throws. */
  async #attempt(): Promise<{ ok: boolean; otherHolder?: string; expiresAt?: number }> {
    const { client, namespace, name, identity } = this.#o;
    const start = this.#clock.now();
    try {
      let lease: Lease | undefined;
      try {
        lease = await client.get<Lease>(LEASES, namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const now = this.#clock.now();
      if (lease) this.#observation = observe(this.#observation, lease, now);
      this.#noteHolder(lease?.spec?.holderIdentity);
      const decision = decideLease(lease, this.#observation, now, identity);
      if (decision.action === "wait") return { ok: false, otherHolder: decision.holder, expiresAt: decision.expiresAt };
      const body = leaseFor(decision.action, lease, { namespace, name }, identity, now, this.#o.leaseDurationMs);
      this.#lease = decision.action === "create" ? await client.create(LEASES, body) : await client.update(LEASES, body);
      this.#observation = observe(this.#observation, this.#lease, this.#clock.now());
      this.#lastAttemptStart = start;
      if (decision.action !== "renew") {
        // debug: the manager logs the one "Became leader" line.
        this.#o.log.debug({ lease: `${namespace}/${name}`, identity, why: decision.action === "acquire" ? decision.why : "created" }, "Acquired leader lease");
      }
      this.#noteHolder(identity);
      return { ok: true };
    } catch (err) {
      // Conflict / AlreadyExists: another candidate wrote first, we lost this round.
      if (isConflict(err) || isAlreadyExists(err)) this.#o.log.debug({ err }, "Lost a race for the leader lease");
      else this.#o.log.warn({ err }, "Could not read or write the leader lease");
      return { ok: false };
    }
  }

  #noteHolder(holder: string | undefined): void {
    if (holder && holder !== this.#lastHolder) this.#o.log.info({ leader: holder }, "Observed a new leader");
    this.#lastHolder = holder;
  }

  /** A hung request must not outlive the renew deadline: it then counts as a failure. */
  #withDeadline<T extends { ok: boolean }>(attempt: Promise<T>, ms: number): Promise<T | { ok: false; otherHolder?: undefined }> {
    return new Promise((resolve) => {
      const cancel = this.#clock.after(ms, () => resolve({ ok: false }));
      void attempt.then((r) => {
        cancel();
        resolve(r);
      });
    });
  }
}
