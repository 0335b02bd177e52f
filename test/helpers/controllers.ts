/**
 * Runs controllers in-process through the real Manager (real client, shared informers,
 * controller loop), against the test cluster. No leader election: each test file runs its own
 * controllers on its own objects. Probes and metrics bind free ports.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { loadConfig } from "../../src/config/load.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";
import { Manager } from "../../src/runtime/manager.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import { kubeConfig, kubeconfigPath } from "./cluster.ts";
import { eventually } from "./eventually.ts";

function fromFile(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export interface RunningControllers {
  readonly manager: Manager;
  stop(): Promise<void>;
}

/**
 * Starts `controllers` against the test cluster, or against the cluster of `kubeconfig`;
 * `namespaces` keeps them off other test files' objects (files run in parallel).
 */
export async function startControllers(controllers: readonly ControllerSpec[], kubeconfig?: string, options: { namespaces?: readonly string[] } = {}): Promise<RunningControllers> {
  const path = kubeconfig ?? kubeconfigPath();
  const config = loadConfig({
    argv: [
      "--kubeconfig", path, "--leader-elect=false", "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0", "--log-level", "warn",
      ...(options.namespaces ? ["--watch-namespaces", options.namespaces.join(",")] : []),
    ],
    env: {},
    defaultIdentity: `test-${process.pid}`,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "warn" });
  const client = createKubeClient(kubeconfig ? fromFile(kubeconfig) : kubeConfig());
  const informers = createInformerFactory(client, { log });
  const manager = new Manager({ config, client, informers, controllers, log });
  await manager.start();
  await eventually(() => {
    if (!informers.hasSynced()) throw new Error("informer caches not synced");
  }, { message: "informer caches synced" });
  return { manager, stop: () => manager.stop() };
}
