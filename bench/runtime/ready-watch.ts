/**
 * Watches Agents through the project's own informer and records when each first shows
 * Ready=True, so the benchmark measures what a user sees: create → Ready on a watch.
 */
import { AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";

type AgentLike = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };

const isReady = (obj: AgentLike): boolean => obj.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

export interface ReadyWatch {
  /** performance.now() at which `name` was first seen Ready. */
  readyAt(name: string): number | undefined;
  readyCount(): number;
  /** Resolves once `names` are all Ready. */
  waitAll(names: readonly string[], timeoutMs: number): Promise<void>;
  stop(): void;
}

export async function watchReady(client: KubeClient, namespace: string): Promise<ReadyWatch> {
  const controller = new AbortController();
  const informer = createInformer<AgentLike>(client, AGENTS, { namespace });
  const ready = new Map<string, number>();
  const waiters = new Set<() => void>();
  informer.subscribe(({ object }) => {
    if (!ready.has(object.metadata.name!) && isReady(object)) {
      ready.set(object.metadata.name!, performance.now());
      for (const wake of waiters) wake();
    }
  });
  await informer.start(controller.signal);
  return {
    readyAt: (name) => ready.get(name),
    readyCount: () => ready.size,
    waitAll: (names, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (names.every((n) => ready.has(n))) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${names.filter((n) => !ready.has(n)).length} of ${names.length} agents not Ready after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => controller.abort(),
  };
}
