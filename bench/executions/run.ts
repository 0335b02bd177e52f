/**
 * The executions benchmark: Executions run to Succeeded by the operator's controllers (in this
 * process) with iteration pods on kwok nodes (the benchmark plays their agent against the real
 * gateway) and on the local node (the real agent runtime), against the raw API ceiling measured
 * in the same run; and the gateway's added latency per model turn. Usage:
 *   npm run bench:executions [-- --executions 300 --concurrency 32 --local 20 --calls 2000 --warmup 200 --kwok-nodes 10]
 *   npm run bench:executions -- --only gateway [--calls 2000 --warmup 200]   (the gateway figures alone)
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { benchApiCeiling } from "../api-ceiling.ts";
import { formatFigure, type Figure } from "../stats.ts";
import { gatewayOverhead } from "./gateway-overhead.ts";
import { startKwokAgent } from "./kwok-agent.ts";
import { timeReport } from "./timing.ts";
import { watchPhases } from "./phase-watch.ts";
import { reconcileCounts } from "./reconcile-counts.ts";
import type { InProcessOperator } from "./operator.ts";
import { AGENT, KWOK_NS, KWOK_POOL, LOCAL_NS, startEnv, startOperatorIn } from "./setup.ts";
import { executionsToSucceeded, type ThroughputResult } from "./throughput.ts";

const { values } = parseArgs({
  options: {
    executions: { type: "string", default: "300" },
    concurrency: { type: "string", default: "32" },
    local: { type: "string", default: "20" },
    calls: { type: "string", default: "2000" },
    warmup: { type: "string", default: "200" },
    "kwok-nodes": { type: "string", default: "10" },
    workers: { type: "string" },
    only: { type: "string" },
  },
});
if (values.only !== undefined && values.only !== "gateway") throw new Error(`--only: "gateway" is the one part that runs alone, not "${values.only}"`);
const onlyGateway = values.only === "gateway";
const executions = Number(values.executions);
const concurrency = Number(values.concurrency);
const local = Number(values.local);
const print = (line: string) => process.stdout.write(`${line}\n`);
const printAll = (figures: Figure[]) => figures.forEach((f) => print(formatFigure(f)));

function checked(label: string, result: ThroughputResult): ThroughputResult {
  if (result.notSucceeded.length > 0) throw new Error(`${label}: ${result.notSucceeded.length} not Succeeded, e.g. ${result.notSucceeded.slice(0, 3).join("; ")}`);
  return result;
}

print(`aegis executions benchmark — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);

const env = await startEnv(Number(values["kwok-nodes"]));
let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= env.stop());
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop().then(() => process.exit(130)));

/** Parts 1–3: the API ceiling, Executions on kwok, Executions on the local node; answers the operator started for them. */
async function throughputParts(workers: number | undefined): Promise<InProcessOperator> {
  // 1. The raw API ceiling, with no controller running yet.
  const [, ceilingFigure] = await benchApiCeiling(env.cluster.kubeconfig, executions, concurrency, 1);
  const ceiling = { name: "raw API ceiling", value: ceilingFigure!.value };
  print(formatFigure({ ...ceilingFigure!, name: `raw API ceiling: ${ceilingFigure!.name}` }));

  const operator = await startOperatorIn(env, workers);
  const isKwok = (node: string) => node.startsWith(`${KWOK_POOL}-`);
  const agent = await startKwokAgent(env.client, KWOK_NS, operator.gatewayUrl, isKwok);
  env.defer(async () => agent.stop());
  const kwokWatch = await watchPhases(env.client, KWOK_NS);
  env.defer(async () => kwokWatch.stop());

  // 2. kwok: warm-up (connections, JIT, database pool), then the measured batch.
  checked("warm-up", await executionsToSucceeded(env.client, kwokWatch, KWOK_NS, AGENT, "warm", 20, concurrency, 120_000));
  const before = await reconcileCounts(operator.metrics);
  const timesBefore = new Map(operator.callTimes);
  const kwok = checked("kwok", await executionsToSucceeded(env.client, kwokWatch, KWOK_NS, AGENT, "kwok", executions, concurrency, 600_000));
  const after = await reconcileCounts(operator.metrics);
  if (agent.failures.length > 0) throw new Error(`agent side failed: ${agent.failures.slice(0, 3).join("; ")}`);
  const kwokRate = { name: "kwok executions", value: kwok.perSecond };
  printAll([
    { name: `executions → Succeeded on kwok (${executions}, ${concurrency} in flight, ${workers ?? 8} workers)`, value: kwok.perSecond, unit: "executions/s", baseline: ceiling },
    { name: "create → Succeeded p50 on kwok", value: kwok.p50, unit: "ms" },
    { name: "create → Succeeded p99 on kwok", value: kwok.p99, unit: "ms" },
  ]);
  for (const [controller, count] of Object.entries(after.reconciles)) {
    const delta = count - (before.reconciles[controller] ?? 0);
    const seconds = (after.seconds[controller] ?? 0) - (before.seconds[controller] ?? 0);
    print(`  ${controller}: ${(delta / executions).toFixed(2)} reconciles per execution, ${((seconds * 1000) / Math.max(delta, 1)).toFixed(2)} ms each`);
  }
  timeReport(timesBefore, operator.callTimes, executions).forEach(print);

  // 3. The local node: real agent runtime processes.
  const localWatch = await watchPhases(env.client, LOCAL_NS);
  env.defer(async () => localWatch.stop());
  const real = checked("local", await executionsToSucceeded(env.client, localWatch, LOCAL_NS, AGENT, "local", local, local, 300_000));
  printAll([
    { name: `executions → Succeeded on the local node (${local})`, value: real.perSecond, unit: "executions/s", baseline: kwokRate },
    { name: "create → Succeeded p50 on the local node", value: real.p50, unit: "ms" },
    { name: "create → Succeeded p99 on the local node", value: real.p99, unit: "ms" },
  ]);

  return operator;
}

try {
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const operator = onlyGateway ? await startOperatorIn(env, workers) : await throughputParts(workers);

  // 4. Gateway overhead per model turn.
  const o = await gatewayOverhead(operator.gatewayUrl, env.model.url, operator.credentials, Number(values.calls), Number(values.warmup));
  printAll([
    { name: `model turn p50 through the gateway (${o.calls})`, value: o.gateway.p50, unit: "ms", baseline: { name: "direct", value: o.direct.p50 } },
    { name: `model turn p99 through the gateway (${o.calls})`, value: o.gateway.p99, unit: "ms", baseline: { name: "direct", value: o.direct.p99 } },
    { name: "gateway added p50", value: o.gateway.p50 - o.direct.p50, unit: "ms" },
    { name: "gateway added p99", value: o.gateway.p99 - o.direct.p99, unit: "ms" },
  ]);
} finally {
  await stop();
}
