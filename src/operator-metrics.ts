/**
 * Every Prometheus metric of the operator program on one registry, the one its /metrics serves:
 * the manager's (controller-runtime names, process defaults), the gateway's, the Execution
 * controller's and the admission webhooks'. docs/metrics.md is the catalog; a unit test holds it
 * to what this registers. Wiring only.
 */
import type { Registry } from "prom-client";
import { createExecutionMetrics, type ExecutionMetrics } from "../controllers/execution/metrics.ts";
import { createWebhookMetrics, type WebhookMetrics } from "../webhooks/metrics.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./gateway/metrics.ts";
import { Metrics } from "./runtime/metrics.ts";

export interface OperatorMetrics {
  readonly registry: Registry;
  /** Reconciles, work queues, leader election (and process_*, nodejs_* when defaults are on). */
  readonly runtime: Metrics;
  readonly gateway: GatewayMetrics;
  readonly execution: ExecutionMetrics;
  readonly webhooks: WebhookMetrics;
}

export function createOperatorMetrics(options: { defaultMetrics?: boolean } = { defaultMetrics: true }): OperatorMetrics {
  const runtime = new Metrics(options);
  const registry = runtime.registry;
  return {
    registry,
    runtime,
    gateway: createGatewayMetrics(registry),
    execution: createExecutionMetrics(registry),
    webhooks: createWebhookMetrics(registry),
  };
}
