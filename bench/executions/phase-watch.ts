/**
 * Watches the benchmark's Executions through the project's informer and records, per name,
 * when each was first seen in a final phase: what a user sees, create → Succeeded on a watch.
 */
import { EXECUTIONS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";

type ExecutionLike = KubeObject & { status?: { phase?: string; reason?: string; message?: string } };
const FINAL = new Set(["Succeeded", "Failed", "Cancelled", "TimedOut"]);

export interface PhaseWatch {
  /** performance.now() when `name` was first seen final, and the phase. */
  finished(name: string): { at: number; phase: string; reason?: string } | undefined;
  waitAll(names: readonly string[], timeoutMs: number): Promise<void>;
  stop(): void;
}

export async function watchPhases(client: KubeClient, namespace: string): Promise<PhaseWatch> {
  const controller = new AbortController();
  const informer = createInformer<ExecutionLike>(client, EXECUTIONS, { namespace });
  const done = new Map<string, { at: number; phase: string; reason?: string }>();
  const waiters = new Set<() => void>();
  informer.subscribe(({ object }) => {
    const name = object.metadata.name!;
    const phase = object.status?.phase;
    if (phase === undefined || !FINAL.has(phase) || done.has(name)) return;
    done.set(name, { at: performance.now(), phase, ...(object.status?.reason ? { reason: object.status.reason } : {}) });
    for (const wake of waiters) wake();
  });
  await informer.start(controller.signal);
  return {
    finished: (name) => done.get(name),
    waitAll: (names, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!names.every((n) => done.has(n))) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${names.filter((n) => !done.has(n)).length} of ${names.length} executions not finished after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => controller.abort(),
  };
}
