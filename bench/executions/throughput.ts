/**
 * Executions created with bounded concurrency, each timed from just before its create call to
 * the moment the watch saw it Succeeded; the rate runs from the first create to the last
 * Succeeded.
 */
import { EXECUTIONS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { percentile, runPool } from "../stats.ts";
import { executionBody } from "./fixtures.ts";
import type { PhaseWatch } from "./phase-watch.ts";

export interface ThroughputResult {
  readonly count: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Executions that ended in another phase than Succeeded, with their reason. */
  readonly notSucceeded: readonly string[];
}

export async function executionsToSucceeded(
  client: KubeClient, watch: PhaseWatch, namespace: string, agent: string, prefix: string, total: number, concurrency: number, timeoutMs: number,
): Promise<ThroughputResult> {
  const names = Array.from({ length: total }, (_, i) => `${prefix}-${i}`);
  const createdAt = new Map<string, number>();
  const started = performance.now();
  await runPool(total, concurrency, async (i) => {
    createdAt.set(names[i]!, performance.now());
    await client.create(EXECUTIONS, executionBody(namespace, names[i]!, agent, i));
  });
  await watch.waitAll(names, timeoutMs);
  const ends = names.map((n) => watch.finished(n)!);
  const last = Math.max(...ends.map((e) => e.at));
  const latencies = names.map((n, i) => ends[i]!.at - createdAt.get(n)!);
  const notSucceeded = names.flatMap((n, i) => (ends[i]!.phase === "Succeeded" ? [] : [`${n}: ${ends[i]!.phase} ${ends[i]!.reason ?? ""}`]));
  return { count: total, perSecond: total / ((last - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), notSucceeded };
}
