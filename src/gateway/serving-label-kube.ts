/**
 * Puts the `aegis.dev/gateway: serving` label on the operator's own Pod (the leader) or takes it off
 * (at start and on a graceful stop). Requests run one after another, each read → decide
 * (serving-label.ts) → JSON patch; a failure is logged and retried with backoff a few times, then
 * given up: never thrown, the operator keeps running.
 */
import { setTimeout as wait } from "node:timers/promises";
import type { Logger } from "pino";
import { isNotFound } from "../kube/errors.ts";
import { PODS } from "../kube/resources.ts";
import type { KubeClient, KubeObject } from "../kube/types.ts";
import { DEFAULT_RETRY, GATEWAY_LABEL, SERVING, retryDelayMs, servingLabelPatch, type RetryOptions } from "./serving-label.ts";

export interface ServingLabelOptions {
  readonly client: KubeClient;
  /** The operator's own Pod (downward API). */
  readonly namespace: string;
  readonly name: string;
  readonly log: Logger;
  readonly retry?: RetryOptions;
}

export class ServingLabel {
  readonly #o: ServingLabelOptions;
  #last: Promise<void> = Promise.resolve();

  constructor(options: ServingLabelOptions) {
    this.#o = options;
  }

  /** Labels the Pod (`serving`) or unlabels it, after any earlier request; never rejects. */
  set(serving: boolean): Promise<void> {
    this.#last = this.#last.then(() => this.#converge(serving));
    return this.#last;
  }

  async #converge(serving: boolean): Promise<void> {
    const { client, namespace, name, log } = this.#o;
    const pod = `${namespace}/${name}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await client.get<KubeObject>(PODS, namespace, name);
        const ops = servingLabelPatch({ labels: current.metadata.labels, resourceVersion: current.metadata.resourceVersion }, serving);
        if (ops.length > 0) {
          await client.jsonPatch(PODS, namespace, name, ops);
          log.info({ pod, label: `${GATEWAY_LABEL}=${SERVING}` }, serving ? "Labelled own Pod: the gateway Service routes here" : "Removed gateway label from own Pod");
        }
        return;
      } catch (err) {
        // A Pod that is gone carries no label.
        if (!serving && isNotFound(err)) return;
        const delay = retryDelayMs(attempt, this.#o.retry ?? DEFAULT_RETRY);
        if (delay === undefined) {
          log.error({ err, pod, serving, attempts: attempt }, "Gave up setting the gateway label on own Pod");
          return;
        }
        log.warn({ err, pod, serving, attempt, retryInMs: delay }, "Could not set the gateway label on own Pod, retrying");
        // A referenced timer: at start nothing else may keep the process alive yet.
        await wait(delay);
      }
    }
  }
}
