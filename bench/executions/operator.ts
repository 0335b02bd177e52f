/**
 * The operator in this process, wired as src/main.ts wires it: config, client, shared
 * informers, the execution services (history, gateway, judge) and every controller of
 * createControllers, run by the real Manager (no leader election). Only the benchmark's
 * namespaces are watched.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { createControllers } from "../../controllers/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import type { CredentialRegistry } from "../../src/gateway/index.ts";
import { startExecutionServices } from "../../src/operator-services.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { createOperatorMetrics } from "../../src/operator-metrics.ts";
import { Manager } from "../../src/runtime/manager.ts";
import type { Metrics } from "../../src/runtime/metrics.ts";
import { timed } from "./timing.ts";

export interface InProcessOperator {
  readonly gatewayUrl: string;
  /** The gateway's credential registry (the benchmark grants its own tokens for the overhead figure). */
  readonly credentials: CredentialRegistry;
  readonly metrics: Metrics;
  /** Time spent in the controllers' client calls and history writes, per call kind. */
  readonly callTimes: Map<string, { calls: number; ms: number }>;
  stop(): Promise<void>;
}

/** `workers`: the Execution controller's concurrent reconciles (its default, 8, when unset). */
export async function startOperator(kubeconfig: string, databaseUrl: string, namespaces: readonly string[], workers?: number): Promise<InProcessOperator> {
  const config = loadConfig({
    argv: [
      "--kubeconfig", kubeconfig, "--leader-elect=false", "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
      "--gateway-addr", "127.0.0.1:0", "--log-level", "warn", "--watch-namespaces", ["aegis-system", ...namespaces].join(","),
    ],
    env: { DATABASE_URL: databaseUrl },
    defaultIdentity: `bench-${process.pid}`,
  });
  const log = pino({ level: process.env.BENCH_LOG_LEVEL ?? "warn" });
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const client = createKubeClient(kc);
  const informers = createInformerFactory(client, { log });
  const operatorMetrics = createOperatorMetrics({ defaultMetrics: false });
  const metrics = operatorMetrics.runtime;
  const services = await startExecutionServices({ config, client, informers, metrics: operatorMetrics, log });
  const registry = { namespace: config.namespace, name: "aegis-runtime-registry" };
  // The controllers' client and history port are timed (informers keep the plain client).
  const callTimes = new Map<string, { calls: number; ms: number }>();
  const execution = { ...services.execution, history: timed(services.execution.history!, "history", callTimes), ...(workers ? { workers } : {}) };
  const controllers = createControllers({ agent: { registry }, execution });
  const manager = new Manager({ config, client: timed(client, "kube", callTimes), informers, controllers, log, metrics });
  try {
    await manager.start();
    const deadline = Date.now() + 60_000;
    while (!informers.hasSynced()) {
      if (Date.now() > deadline) throw new Error("the operator's informer caches did not sync in 60 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (err) {
    await manager.stop();
    await services.stop();
    throw err;
  }
  return {
    gatewayUrl: services.execution.gatewayUrl!,
    credentials: services.execution.credentials as CredentialRegistry,
    metrics,
    callTimes,
    async stop() {
      await manager.stop();
      await services.stop();
    },
  };
}
