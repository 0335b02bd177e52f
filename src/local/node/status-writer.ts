/**
 * Writes a pod's status to `pods/status` with server-side apply under the node's field
 * manager. Writes are coalesced: callers mark the status dirty and one loop per pod writes the
 * latest state, retrying after errors, until the pod is gone or the writer is closed.
 */
import type { Logger } from "pino";
import { applyOptions, errorMessage, FIELD_MANAGER, httpStatus, isNotFound, type KubeClients } from "./kube.ts";
import type { PodCondition } from "./pod-spec.ts";

export type BuildStatus = (previous: readonly PodCondition[], now: Date) => Record<string, unknown>;

const RETRY_MS = 1000;

export class StatusWriter {
  private readonly clients: KubeClients;
  private readonly ref: { name: string; namespace: string };
  private readonly build: BuildStatus;
  private readonly log: Logger;
  private previous: PodCondition[];
  private dirty = false;
  private closed = false;
  private gone = false;
  private running: Promise<void> | undefined;

  constructor(clients: KubeClients, ref: { name: string; namespace: string }, previous: PodCondition[], build: BuildStatus, log: Logger) {
    this.clients = clients;
    this.ref = ref;
    this.previous = previous;
    this.build = build;
    this.log = log;
  }

  /** Asks for the current state to be written. */
  mark(): void {
    if (this.closed || this.gone) return;
    this.dirty = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Settles when everything marked so far is written (or can never be). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops writing (the node is stopping; the next node start decides about the pod). */
  close(): void {
    this.closed = true;
  }

  private async loop(): Promise<void> {
    while (this.dirty && !this.closed && !this.gone) {
      this.dirty = false;
      const status = this.build(this.previous, new Date());
      try {
        await this.clients.core.patchNamespacedPodStatus(
          {
            ...this.ref,
            body: { apiVersion: "v1", kind: "Pod", metadata: this.ref, status },
            fieldManager: FIELD_MANAGER,
            force: true,
          },
          applyOptions,
        );
        this.previous = ((status.conditions ?? []) as { type: string; status: string; lastTransitionTime: string }[]).map((c) => ({
          type: c.type,
          status: c.status,
          lastTransitionTime: new Date(c.lastTransitionTime),
        }));
      } catch (err) {
        if (isNotFound(err)) {
          this.gone = true;
          return;
        }
        const code = httpStatus(err);
        if (code === 400 || code === 422) {
          // Retrying the same state cannot help; the next change is written afresh.
          this.log.error({ err: errorMessage(err), pod: this.ref }, "The API server rejected the pod status");
          continue;
        }
        this.log.warn({ err: errorMessage(err), pod: this.ref }, "Could not write pod status; retrying");
        this.dirty = true;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
