/**
 * The operator's composition root: configuration, logger, client, shared informers, the
 * controllers, the manager and signal handling. Wiring only; no logic lives here.
 *
 *   node src/main.ts [--kubeconfig PATH] [--namespace aegis-system] [--leader-elect] …
 *   (every flag: src/config/load.ts; every field: src/config/schema.ts)
 */
import { KubeConfig } from "@kubernetes/client-node";
import { createControllers, type ControllersOptions } from "../controllers/index.ts";
import { loadConfig } from "./config/load.ts";
import type { OperatorConfig } from "./config/schema.ts";
import { createKubeClient } from "./kube/client.ts";
import { createLogger } from "./log/logger.ts";
import { ConfigError } from "./runtime/errors.ts";
import { createInformerFactory } from "./runtime/informer-factory.ts";
import { Manager } from "./runtime/manager.ts";
import { createOperatorMetrics } from "./operator-metrics.ts";
import { startExecutionServices, type ExecutionServices } from "./operator-services.ts";
import { startOperatorWebhooks } from "./operator-webhooks.ts";
import { ServingLabel } from "./gateway/serving-label-kube.ts";
import { reconcileLogController } from "./runtime/reconcile-log-controller.ts";
import { SERVICE, startTracing } from "./telemetry/index.ts";
import { exitOnSignals } from "./runtime/signals.ts";
import type { ControllerSpec } from "./runtime/types.ts";

/** The controllers this replica runs: all, or those named by --controllers. */
function selectControllers(config: OperatorConfig, options: Omit<ControllersOptions, "agent"> = {}): ControllerSpec[] {
  const registry = config.runtimeRegistry ?? { namespace: config.namespace, name: "aegis-runtime-registry" };
  const available = [
    ...createControllers({ agent: { registry }, ...options }),
    ...(config.reconcileLogDir ? [reconcileLogController(config.reconcileLogDir, config.identity)] : []),
  ];
  if (!config.controllers) return available;
  const unknown = config.controllers.filter((name) => !available.some((c) => c.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((name) => `--controllers / AEGIS_CONTROLLERS: no controller named "${name}" (known: ${available.map((c) => c.name).join(", ")})`));
  }
  return available.filter((c) => config.controllers!.includes(c.name));
}

function kubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

async function main(): Promise<void> {
  let config: OperatorConfig;
  let controllers: ControllerSpec[];
  try {
    config = loadConfig({ argv: process.argv.slice(2), env: process.env });
    controllers = selectControllers(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger({ level: config.logLevel, base: { identity: config.identity } });
  // Only with an OTLP endpoint in the environment (docs/tracing.md); the gateway's spans are their own service.
  const tracing = await startTracing(SERVICE.operator, { also: [SERVICE.gateway] });
  const client = createKubeClient(kubeConfig(config.kubeconfig));
  const informers = createInformerFactory(client, { log: log.child({ component: "informer" }) });
  // One registry for everything /metrics serves (docs/metrics.md).
  const metrics = createOperatorMetrics();
  // The gateway and history exist only where Executions are reconciled.
  let services: ExecutionServices | undefined;
  if (controllers.some((c) => c.name === "execution")) {
    services = await startExecutionServices({ config, client, informers, metrics, log });
    controllers = selectControllers(config, { execution: services.execution });
  }
  // Every replica serves the admission webhooks (--webhook-addr), leader or not, holding Agents
  // to the same per-namespace Cedar policies as the gateway.
  const webhooks = await startOperatorWebhooks({ config, client, informers, log, metrics: metrics.webhooks, ...(services ? { policies: services.policies } : {}) });
  // The aegis-gateway Service routes only to the Pod the leader labels (grants live in its memory).
  const servingLabel = config.podName
    ? new ServingLabel({ client, namespace: config.podNamespace ?? config.namespace, name: config.podName, log: log.child({ component: "gateway-label" }) })
    : undefined;
  // Before campaigning: a restarted container keeps its Pod, and the label of a leadership it lost.
  await servingLabel?.set(false);
  const manager = new Manager({
    config,
    client,
    informers,
    controllers,
    log,
    metrics: metrics.runtime,
    // controller-runtime exits too: a replica that lost the lease must not reconcile anything
    // more, and a fresh process starts again as a clean standby.
    onLeadershipLost: () => process.exit(1),
    onStartedLeading: () => void servingLabel?.set(true),
  });

  exitOnSignals(async () => {
    await manager.stop();
    // After the lease is released: the next leader's label may overlap ours briefly, never a gap.
    await servingLabel?.set(false);
    await services?.stop();
    await webhooks?.stop();
    await tracing.shutdown();
  }, log);

  log.info({ controllers: controllers.map((c) => c.name), namespace: config.namespace, leaderElect: config.leaderElect, tracing: tracing.enabled }, "Starting manager");
  await manager.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`aegis-operator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
