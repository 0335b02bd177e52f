/**
 * create → Ready latency at a fixed create rate: creates are paced on a schedule (not after
 * each other), and each latency runs from just before the create call to the moment the
 * watch saw Ready.
 */
import type { KubeClient } from "../../src/kube/types.ts";
import { percentile } from "../stats.ts";
import { createAgent } from "./agents.ts";
import type { ReadyWatch } from "./ready-watch.ts";

export interface LatencyResult {
  readonly rate: number;
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

export async function latencyAtRate(client: KubeClient, watch: ReadyWatch, namespace: string, rate: number, seconds: number, prefix: string): Promise<LatencyResult> {
  const count = Math.max(1, Math.round(rate * seconds));
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const createdAt = new Map<string, number>();
  const start = performance.now();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    createdAt.set(names[i]!, performance.now());
    creates.push(createAgent(client, namespace, names[i]!));
  }
  await Promise.all(creates);
  await watch.waitAll(names, 120_000);
  const latencies = names.map((n) => watch.readyAt(n)! - createdAt.get(n)!);
  return { rate, count, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
