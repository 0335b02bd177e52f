/**
 * Watches Agents through the project's own informer and records when each first shows
 * Ready=True, so the benchmark measures what a user sees: create → Ready on a watch.
 */
import { AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";

type AgentLike = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };

const isReady = (obj: AgentLike): boolean => obj.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
/** The controller has reported on it, Ready or not. */
const isReported = (obj: AgentLike): boolean => obj.status?.conditions?.some((c) => c.type === "Ready") ?? false;

export type Milestone = "ready" | "reported";

export interface ReadyWatch {
  /** performance.now() at which `name` was first seen Ready. */
  readyAt(name: string): number | undefined;
  readyCount(): number;
  /** Resolves once `names` are all Ready (or, with "reported", all have a Ready condition). */
  waitAll(names: readonly string[], timeoutMs: number, milestone?: Milestone): Promise<void>;
  stop(): void;
}

export async function watchReady(client: KubeClient, namespace: string): Promise<ReadyWatch> {
  const controller = new AbortController();
  const informer = createInformer<AgentLike>(client, AGENTS, { namespace });
  const seen: Record<Milestone, Map<string, number>> = { ready: new Map(), reported: new Map() };
  const ready = seen.ready;
  const waiters = new Set<() => void>();
  informer.subscribe(({ object }) => {
    const name = object.metadata.name!;
    let changed = false;
    for (const [milestone, holds] of [["ready", isReady], ["reported", isReported]] as const) {
      if (!seen[milestone].has(name) && holds(object)) {
        seen[milestone].set(name, performance.now());
        changed = true;
      }
    }
    if (changed) for (const wake of waiters) wake();
  });
  await informer.start(controller.signal);
  return {
    readyAt: (name) => ready.get(name),
    readyCount: () => ready.size,
    waitAll: (names, timeoutMs, milestone = "ready") =>
      new Promise((resolve, reject) => {
        const reached = seen[milestone];
        const check = () => {
          if (names.every((n) => reached.has(n))) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${names.filter((n) => !reached.has(n)).length} of ${names.length} agents not ${milestone} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => controller.abort(),
  };
}
