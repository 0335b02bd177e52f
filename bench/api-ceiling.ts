/**
 * The raw API ceiling: Execution objects created per second with no controller or webhook
 * running, against ConfigMaps (a built-in kind, same payload size order) as the baseline
 * measured on the same API server in the same run. Later controllers are compared to it.
 */
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { median, runPool, type Figure } from "./stats.ts";

async function rate(total: number, concurrency: number, create: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await runPool(total, concurrency, async (i) => {
    await create(i);
  });
  return total / ((performance.now() - started) / 1000);
}

export async function benchApiCeiling(kubeconfigPath: string, total: number, concurrency: number, rounds: number): Promise<Figure[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const namespace = `bench-${Date.now()}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const input = { task: "Write fizzbuzz in TypeScript with tests", language: "typescript" };
  // Warm up connections and the API server's caches before measuring.
  await rate(50, concurrency, (i) => core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `warm-${i}` }, data: { input: JSON.stringify(input) } } }));

  // Interleaved rounds, so that load from outside the benchmark hits both kinds alike.
  const configMapRates: number[] = [];
  const executionRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    configMapRates.push(await rate(total, concurrency, (i) =>
      core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `cm-${round}-${i}` }, data: { input: JSON.stringify(input) } } }),
    ));
    executionRates.push(await rate(total, concurrency, (i) =>
      custom.createNamespacedCustomObject({
        group: "aegis.dev",
        version: "v1alpha1",
        plural: "executions",
        namespace,
        body: { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: `ex-${round}-${i}` }, spec: { agentRef: { name: "coder" }, input } },
      }),
    ));
  }
  const configMaps = median(configMapRates);
  const executions = median(executionRates);
  await core.deleteNamespace({ name: namespace });
  return [
    { name: `configmaps created (${rounds}×${total}, ${concurrency} in flight)`, value: configMaps, unit: "objects/s" },
    { name: `executions created (${rounds}×${total}, ${concurrency} in flight)`, value: executions, unit: "objects/s", baseline: { name: "configmaps", value: configMaps } },
  ];
}
