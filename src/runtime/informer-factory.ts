/**
 * One informer per resource, shared by every controller that reads it: `informer(res)` returns
 * the same instance for the same resource. `start` starts them together and resolves once all
 * have listed; an informer asked for after that starts at once.
 */
import { resourceId } from "../kube/resources.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import { createInformer, type InformerOptions } from "./informer.ts";
import type { Informer } from "./types.ts";

export interface InformerFactory {
  informer<T extends KubeObject>(res: Resource): Informer<T>;
  /** Starts every informer asked for so far; resolves when all have synced. */
  start(signal: AbortSignal): Promise<void>;
  /** Resolves when every informer asked for so far has synced (after start). */
  waitForSync(): Promise<void>;
  hasSynced(): boolean;
}

export function createInformerFactory(client: KubeClient, options: InformerOptions = {}): InformerFactory {
  const informers = new Map<string, Informer<KubeObject>>();
  const starts = new Map<string, Promise<void>>();
  let signal: AbortSignal | undefined;

  const startOne = (id: string, informer: Informer<KubeObject>, s: AbortSignal): void => {
    if (starts.has(id)) return;
    const started = informer.start(s);
    // A late informer's start may never be awaited: a stop before its first list must not be
    // an unhandled rejection (awaiting `started` still sees it).
    started.catch(() => undefined);
    starts.set(id, started);
  };

  return {
    informer<T extends KubeObject>(res: Resource): Informer<T> {
      const id = resourceId(res);
      let informer = informers.get(id);
      if (!informer) {
        informer = createInformer<KubeObject>(client, res, options);
        informers.set(id, informer);
        if (signal) startOne(id, informer, signal);
      }
      return informer as unknown as Informer<T>;
    },
    async start(s: AbortSignal): Promise<void> {
      signal = s;
      for (const [id, informer] of informers) startOne(id, informer, s);
      await Promise.all(starts.values());
    },
    async waitForSync(): Promise<void> {
      await Promise.all(starts.values());
    },
    hasSynced: () => [...informers.values()].every((i) => i.hasSynced()),
  };
}
