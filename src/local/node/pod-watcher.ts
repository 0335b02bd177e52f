/**
 * Watches the pods bound to this node (field selector `spec.nodeName=<node>`, so pods on other
 * nodes, such as kwok's fake ones, are never seen) and drives one PodRunner per pod: start new
 * pods, finish deletions (stop the processes, then delete with grace 0 as the kubelet does),
 * report pods that cannot be parsed as Failed, and resync periodically so nothing is missed
 * while the watch reconnects.
 */
import { rm } from "node:fs/promises";
import { Watch } from "@kubernetes/client-node";
import { applyOptions, errorMessage, FIELD_MANAGER, isNotFound } from "./kube.ts";
import { parsePod, isTerminalPhase, type Pod, type PodIdentity } from "./pod-spec.ts";
import { PodRunner, podDirectory, type RunnerContext } from "./pod-runner.ts";

const RESYNC_MS = 30_000;
const REWATCH_MS = 1_000;

export class PodWatcher {
  private readonly ctx: RunnerContext;
  private readonly runners = new Map<string, PodRunner>();
  private readonly deleting = new Set<string>();
  private readonly reported = new Set<string>();
  private watchAbort: AbortController | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(ctx: RunnerContext) {
    this.ctx = ctx;
  }

  /** The runner of a pod, if this node runs (or ran) it since it started. */
  runner(uid: string): PodRunner | undefined {
    return this.runners.get(uid);
  }

  async start(): Promise<void> {
    await this.watch();
    this.resyncTimer = setInterval(() => void this.resync(), RESYNC_MS);
    this.resyncTimer.unref();
  }

  /** Stops watching and kills every pod's processes (the next node start decides about them). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.watchAbort?.abort();
    await Promise.all([...this.runners.values()].map((r) => r.stop("node-stop", 2)));
  }

  private get fieldSelector(): string {
    return `spec.nodeName=${this.ctx.nodeName}`;
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const watcher = new Watch(this.ctx.clients.kubeConfig);
    this.watchAbort = await watcher.watch(
      "/api/v1/pods",
      { fieldSelector: this.fieldSelector, allowWatchBookmarks: true },
      (type, obj) => this.handle(type, obj),
      (err: unknown) => {
        if (this.stopped) return;
        if (err) this.ctx.log.warn({ err: errorMessage(err) }, "The pod watch ended; watching again");
        this.rewatch();
      },
    );
  }

  /** Watches again after a pause, and keeps trying while the API server is unreachable. */
  private rewatch(): void {
    setTimeout(() => {
      this.watch().catch((err: unknown) => {
        this.ctx.log.warn({ err: errorMessage(err) }, "Could not watch pods; trying again");
        this.rewatch();
      });
    }, REWATCH_MS);
  }

  private handle(type: string, raw: unknown): void {
    if (this.stopped || type === "BOOKMARK" || type === "ERROR") return;
    try {
      const parsed = parsePod(raw);
      if (!parsed.ok) {
        if (!parsed.identity || type === "DELETED") return;
        const deleting = Boolean((raw as { metadata?: { deletionTimestamp?: unknown } }).metadata?.deletionTimestamp);
        // It never ran here, so a deletion has nothing to wait for.
        if (deleting) void this.deleteNow(parsed.identity);
        else void this.reportUnrunnable(raw, parsed.identity, parsed.message);
        return;
      }
      const pod = parsed.pod;
      const uid = pod.metadata.uid;
      if (type === "DELETED") {
        void this.forget(uid);
        return;
      }
      if (pod.metadata.deletionTimestamp) {
        void this.finishDeletion(pod);
        return;
      }
      if (this.runners.has(uid) || isTerminalPhase(pod.status.phase)) return;
      const runner = new PodRunner(pod, this.ctx);
      this.runners.set(uid, runner);
      this.ctx.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, uid }, "Starting pod");
      runner.start();
    } catch (err) {
      this.ctx.log.error({ err: errorMessage(err) }, "Could not handle a pod event");
    }
  }

  private async finishDeletion(pod: Pod): Promise<void> {
    await this.runners.get(pod.metadata.uid)?.stop("deleted", pod.metadata.deletionGracePeriodSeconds);
    await this.deleteNow(pod.metadata);
  }

  /** Deletes the pod with grace 0 (its processes are gone), once per pod. */
  private async deleteNow(id: PodIdentity): Promise<void> {
    const { name, namespace, uid } = id;
    if (this.deleting.has(uid)) return;
    this.deleting.add(uid);
    try {
      await this.ctx.clients.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid } } });
      this.ctx.log.info({ pod: `${namespace}/${name}`, uid }, "Deleted pod after its processes ended");
    } catch (err) {
      if (!isNotFound(err)) {
        this.ctx.log.warn({ err: errorMessage(err), pod: `${namespace}/${name}` }, "Could not finish the pod deletion; retrying at resync");
        this.deleting.delete(uid);
      }
    }
  }

  private async forget(uid: string): Promise<void> {
    const runner = this.runners.get(uid);
    await runner?.stop("deleted", 0);
    this.runners.delete(uid);
    this.deleting.delete(uid);
    this.reported.delete(uid);
    await rm(podDirectory(this.ctx.home, uid), { recursive: true, force: true }).catch(() => undefined);
  }

  /** A pod the node cannot parse ends Failed with the reason, once. */
  private async reportUnrunnable(raw: unknown, id: PodIdentity, message: string): Promise<void> {
    const phase = (raw as { status?: { phase?: string } }).status?.phase;
    if (this.reported.has(id.uid) || isTerminalPhase(phase)) return;
    this.reported.add(id.uid);
    this.ctx.log.warn({ pod: `${id.namespace}/${id.name}`, message }, "Pod cannot be run");
    try {
      await this.ctx.clients.core.patchNamespacedPodStatus(
        {
          name: id.name,
          namespace: id.namespace,
          body: { apiVersion: "v1", kind: "Pod", metadata: { name: id.name, namespace: id.namespace }, status: { phase: "Failed", reason: "UnsupportedPodSpec", message } },
          fieldManager: FIELD_MANAGER,
          force: true,
        },
        applyOptions,
      );
    } catch (err) {
      this.reported.delete(id.uid);
      this.ctx.log.warn({ err: errorMessage(err) }, "Could not report an unrunnable pod");
    }
  }

  /** Lists the node's pods: runners of vanished pods stop; deletions left half-done finish. */
  private async resync(): Promise<void> {
    try {
      const list = await this.ctx.clients.core.listPodForAllNamespaces({ fieldSelector: this.fieldSelector });
      const present = new Set<string>();
      for (const item of list.items) {
        const uid = item.metadata?.uid;
        if (uid) present.add(uid);
        if (item.metadata?.deletionTimestamp) this.handle("MODIFIED", item);
      }
      for (const uid of this.runners.keys()) if (!present.has(uid)) void this.forget(uid);
    } catch (err) {
      this.ctx.log.warn({ err: errorMessage(err) }, "Could not resync pods");
    }
  }
}
