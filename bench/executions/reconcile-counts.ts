/** Reconciles per controller and the seconds they took, read from the operator's own metrics. */
import type { Metrics } from "../../src/runtime/metrics.ts";

export interface ReconcileCounts {
  readonly reconciles: Record<string, number>;
  readonly seconds: Record<string, number>;
}

export async function reconcileCounts(metrics: Metrics): Promise<ReconcileCounts> {
  const reconciles: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  for (const v of (await metrics.reconcileTotal.get()).values) {
    const controller = String(v.labels.controller);
    reconciles[controller] = (reconciles[controller] ?? 0) + v.value;
  }
  for (const v of (await metrics.reconcileTime.get()).values) {
    if (v.metricName?.endsWith("_sum")) seconds[String(v.labels.controller)] = v.value;
  }
  return { reconciles, seconds };
}
