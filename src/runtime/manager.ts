/**
 * The manager: builds every controller, starts the shared informers on every replica (a standby
 * keeps a warm cache), runs leader election, and starts the controllers only while this replica
 * leads. It serves /healthz, /readyz and /metrics. Losing the lease aborts the controllers at
 * once and calls `onLeadershipLost` (main exits the process, as controller-runtime does), so no
 * object is ever reconciled by two replicas at once. `stop` is the graceful path: drain the
 * controllers, then release the lease so a standby takes over without waiting for expiry.
 */
import type { Logger } from "pino";
import type { OperatorConfig } from "../config/schema.ts";
import { createEventRecorder } from "../kube/events.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import { Controller } from "./controller.ts";
import { serve, type Reply, type Serving } from "./http-server.ts";
import type { InformerFactory } from "./informer-factory.ts";
import { LeaderElector } from "./leader.ts";
import { Metrics } from "./metrics.ts";
import type { ControllerSpec, Informer } from "./types.ts";

export type ManagerConfig = Pick<
  OperatorConfig,
  "namespace" | "leaderElect" | "leaseName" | "leaseDurationMs" | "renewDeadlineMs" | "retryPeriodMs" | "metricsAddr" | "healthAddr" | "workers" | "identity"
> & Partial<Pick<OperatorConfig, "watchNamespaces">>;

export interface ManagerOptions {
  readonly config: ManagerConfig;
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  readonly controllers: readonly ControllerSpec[];
  readonly log: Logger;
  readonly metrics?: Metrics;
  /** Called each time this replica becomes leader (at once without leader election). */
  readonly onStartedLeading?: () => void;
  /** Called after the controllers were aborted because the lease was lost. */
  readonly onLeadershipLost?: () => void;
}

const ok = (body = "ok\n"): Reply => ({ status: 200, body });
const notReady = (why: string): Reply => ({ status: 503, body: `${why}\n` });

export class Manager {
  readonly metrics: Metrics;
  readonly #o: ManagerOptions;
  readonly #log: Logger;
  readonly #informerStop = new AbortController();
  readonly #elector: LeaderElector | undefined;
  #controllers: Controller[] = [];
  #servers: Serving[] = [];
  #leading = false;
  #stopping = false;

  constructor(options: ManagerOptions) {
    this.#o = options;
    this.#log = options.log;
    this.metrics = options.metrics ?? new Metrics({ defaultMetrics: true });
    const { config } = options;
    if (config.leaderElect) {
      this.#elector = new LeaderElector({
        client: options.client,
        namespace: config.namespace,
        name: config.leaseName,
        identity: config.identity,
        leaseDurationMs: config.leaseDurationMs,
        renewDeadlineMs: config.renewDeadlineMs,
        retryPeriodMs: config.retryPeriodMs,
        log: options.log.child({ component: "leader-election" }),
      });
    }
    this.metrics.leaderStatus.set({ name: config.leaseName }, 0);
  }

  /** The bound "host:port" of the health and metrics servers (after start). */
  addresses(): { health: string; metrics: string } {
    return { health: this.#servers[0]?.address ?? "", metrics: this.#servers[1]?.address ?? "" };
  }

  isLeader(): boolean {
    return this.#leading;
  }

  /** Builds the controllers, serves probes, starts informers and campaigns; returns once serving. */
  async start(): Promise<void> {
    this.#controllers = this.#o.controllers.map((spec) => this.#build(spec));
    this.#servers = [
      await serve(this.#o.config.healthAddr, { "/healthz": () => ok(), "/readyz": () => this.#readiness() }),
      await serve(this.#o.config.metricsAddr, {
        "/metrics": async () => ({ status: 200, body: await this.metrics.registry.metrics(), contentType: this.metrics.registry.contentType }),
      }),
    ];
    const [health, metrics] = this.#servers;
    this.#log.info({ address: health?.address }, "Serving health probes");
    this.#log.info({ address: metrics?.address }, "Serving metrics");
    void this.#o.informers.start(this.#informerStop.signal).then(() => this.#log.info("Informer caches synced"));
    if (!this.#elector) {
      void this.#lead();
      return;
    }
    void this.#elector.run({
      onStartedLeading: () => void this.#lead(),
      onStoppedLeading: () => this.#lose(),
    });
  }

  /** Graceful: finish reconciles in flight, release the lease, stop informers and servers. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#log.info("Stopping manager");
    await Promise.all(this.#controllers.map((c) => c.stop()));
    await this.#elector?.release();
    this.#setLeading(false);
    this.#informerStop.abort();
    await Promise.all(this.#servers.map((s) => s.close()));
    this.#log.info("Stopped manager");
  }

  #build(spec: ControllerSpec): Controller {
    const { client, informers, config } = this.#o;
    const log = this.#log.child({ controller: spec.name });
    const events = createEventRecorder(client, { reportingController: `aegis.dev/${spec.name}-controller`, reportingInstance: config.identity, log });
    const reconciler = spec.reconciler({
      client,
      informer: <T extends KubeObject>(res: Resource): Informer<T> => informers.informer<T>(res),
      log,
      events,
      fieldManager: `aegis-${spec.name}-controller`,
    });
    return new Controller({
      name: spec.name,
      for: informers.informer(spec.for),
      owns: (spec.owns ?? []).map((res) => informers.informer(res)),
      watches: (spec.watches ?? []).map((w) => ({ informer: informers.informer(w.resource), map: w.map })),
      reconciler,
      events,
      log: this.#log,
      metrics: this.metrics,
      workers: spec.workers ?? config.workers,
      ...(config.watchNamespaces ? { namespaces: config.watchNamespaces } : {}),
    });
  }

  /** Controllers start on a synced cache, as controller-runtime waits for cache sync. */
  async #lead(): Promise<void> {
    this.#setLeading(true);
    this.#log.info({ identity: this.#o.config.identity, lease: this.#elector ? this.#o.config.leaseName : undefined }, "Became leader, starting controllers");
    this.#o.onStartedLeading?.();
    await this.#o.informers.waitForSync();
    if (!this.#leading || this.#stopping) return;
    for (const controller of this.#controllers) controller.start();
  }

  #lose(): void {
    this.#setLeading(false);
    for (const controller of this.#controllers) controller.abort();
    this.#log.error({ identity: this.#o.config.identity }, "Stopped controllers: leader lease lost");
    this.#o.onLeadershipLost?.();
  }

  #setLeading(leading: boolean): void {
    this.#leading = leading;
    this.metrics.leaderStatus.set({ name: this.#o.config.leaseName }, leading ? 1 : 0);
  }

  /** Ready: caches synced and either leading or standing by (a standby can take over at once). */
  #readiness(): Reply {
    if (this.#stopping) return notReady("stopping");
    if (!this.#o.informers.hasSynced()) return notReady("informer caches not synced");
    return ok(this.#leading ? "ok (leader)\n" : "ok (standby)\n");
  }
}
