// The gateway's Prometheus metrics, on the given registry (a fresh one by default).
import { Counter, Histogram, Registry } from "prom-client";

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requestSeconds: Histogram<"route" | "status">;
  readonly tokens: Counter<"direction" | "alias" | "provider">;
  readonly costUsd: Counter<"alias" | "provider">;
  readonly toolCalls: Counter<"decision">;
  readonly providerRetries: Counter<"provider">;
}

export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics {
  return {
    registry,
    requestSeconds: new Histogram({
      name: "aegis_gateway_request_duration_seconds", help: "Gateway request latency by route and status.",
      labelNames: ["route", "status"], registers: [registry], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    }),
    tokens: new Counter({ name: "aegis_gateway_tokens_total", help: "Model tokens by direction (in/out).", labelNames: ["direction", "alias", "provider"], registers: [registry] }),
    costUsd: new Counter({ name: "aegis_gateway_cost_usd_total", help: "Model cost in US dollars.", labelNames: ["alias", "provider"], registers: [registry] }),
    toolCalls: new Counter({ name: "aegis_gateway_tool_calls_total", help: "Tool-call decisions.", labelNames: ["decision"], registers: [registry] }),
    providerRetries: new Counter({ name: "aegis_gateway_provider_retries_total", help: "Retried provider calls.", labelNames: ["provider"], registers: [registry] }),
  };
}
