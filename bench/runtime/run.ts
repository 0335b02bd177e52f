/**
 * The runtime benchmark: the operator (a separate process, as in a cluster) reconciling Agents
 * to Ready, against the raw API ceiling measured in the same run (Executions created per second
 * with no controller for them). Usage:
 *   npm run bench:runtime [-- --objects 1000 --concurrency 32 --rates 5,10,20,40 --seconds 10 --cached 10000]
 */
import { KubeConfig } from "@kubernetes/client-node";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createKubeClient } from "../../src/kube/client.ts";
import { NAMESPACES } from "../../src/kube/resources.ts";
import { OPERATOR_NAME, startLocalCluster } from "../../src/local/cluster.ts";
import { benchApiCeiling } from "../api-ceiling.ts";
import { formatFigure, runPool } from "../stats.ts";
import { createAgent, createOrchestrator } from "./agents.ts";
import { latencyAtRate } from "./latency.ts";
import { residentMiB } from "./memory.ts";
import { watchReady } from "./ready-watch.ts";

const { values } = parseArgs({
  options: {
    objects: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
    rates: { type: "string", default: "5,10,20,40" },
    seconds: { type: "string", default: "10" },
    cached: { type: "string", default: "10000" },
  },
});
const objects = Number(values.objects);
const concurrency = Number(values.concurrency);
const rates = values.rates.split(",").map(Number);
const seconds = Number(values.seconds);
const cached = Number(values.cached);
const print = (line: string) => process.stdout.write(`${line}\n`);

print(`aegis runtime benchmark — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);

const home = await mkdtemp(join(tmpdir(), "aegis-bench-runtime-"));
const cluster = await startLocalCluster({ home, node: false });
try {
  const operatorPid = cluster.controlPlane.components.find((c) => c.name === OPERATOR_NAME)!.pid;
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const client = createKubeClient(kc);

  const [, ceilingFigure] = await benchApiCeiling(cluster.kubeconfig, objects, concurrency, 1);
  const ceiling = { name: "raw API ceiling", value: ceilingFigure!.value };
  print(formatFigure({ ...ceilingFigure!, name: `raw API ceiling: ${ceilingFigure!.name}` }));

  const namespace = "bench-runtime";
  await client.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  await createOrchestrator(client);
  const idleMiB = await residentMiB(operatorPid);
  const watch = await watchReady(client, namespace);

  // Throughput: as many creates in flight as the ceiling had, until every Agent is Ready.
  const names = Array.from({ length: objects }, (_, i) => `throughput-${i}`);
  const started = performance.now();
  await runPool(objects, concurrency, async (i) => {
    await createAgent(client, namespace, names[i]!);
  });
  await watch.waitAll(names, 600_000);
  const throughput = objects / ((performance.now() - started) / 1000);
  print(formatFigure({ name: `agents created → Ready (${objects}, ${concurrency} in flight)`, value: throughput, unit: "objects/s", baseline: ceiling }));

  // Reconcile throughput alone: Agents whose model nobody serves settle NotReady; then one
  // NodeConfig starts serving it and every one of them reconciles to Ready (one status write each).
  const flips = Array.from({ length: objects }, (_, i) => `flip-${i}`);
  await runPool(objects, concurrency, async (i) => {
    await createAgent(client, namespace, flips[i]!, "flip");
  });
  await watch.waitAll(flips, 600_000, "reported");
  const flipStart = performance.now();
  await createOrchestrator(client, "bench-flip", "flip");
  await watch.waitAll(flips, 600_000);
  const reconcileRate = objects / ((performance.now() - flipStart) / 1000);
  print(formatFigure({ name: `agents reconciled NotReady → Ready (${objects})`, value: reconcileRate, unit: "objects/s", baseline: ceiling }));

  for (const rate of rates) {
    const result = await latencyAtRate(client, watch, namespace, rate, seconds, `rate-${rate}`);
    print(formatFigure({ name: `create → Ready p50 at ${rate}/s (${result.count})`, value: result.p50, unit: "ms" }));
    print(formatFigure({ name: `create → Ready p99 at ${rate}/s (${result.count})`, value: result.p99, unit: "ms" }));
  }

  // Memory: top up to `cached` Agents, all reconciled (so all in the operator's cache).
  const existing = watch.readyCount();
  const more = Array.from({ length: Math.max(0, cached - existing) }, (_, i) => `cached-${i}`);
  await runPool(more.length, concurrency, async (i) => {
    await createAgent(client, namespace, more[i]!);
  });
  await watch.waitAll(more, 900_000);
  const cachedMiB = await residentMiB(operatorPid);
  print(formatFigure({ name: "operator memory, idle", value: idleMiB, unit: "MiB" }));
  print(formatFigure({ name: `operator memory, ${watch.readyCount()} Agents cached`, value: cachedMiB, unit: "MiB", baseline: { name: "idle", value: idleMiB } }));
  watch.stop();
} finally {
  await cluster.stop();
  await rm(home, { recursive: true, force: true });
}
