/**
 * Benchmarks of the platform, printed as figures with their ratio to a baseline measured in
 * the same run. Usage: npm run bench [-- --rounds 3 --objects 1000 --concurrency 32]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCluster } from "../src/local/cluster.ts";
import { benchApiCeiling } from "./api-ceiling.ts";
import { benchStart } from "./control-plane-start.ts";
import { formatFigure } from "./stats.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, objects: { type: "string", default: "1000" }, concurrency: { type: "string", default: "32" } },
});
const rounds = Number(values.rounds);
const objects = Number(values.objects);
const concurrency = Number(values.concurrency);

process.stdout.write(`aegis benchmarks — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n\n`);

for (const figure of await benchStart(rounds)) process.stdout.write(`${formatFigure(figure)}\n`);

const home = await mkdtemp(join(tmpdir(), "aegis-bench-api-"));
const cluster = await startLocalCluster({ home, node: false });
try {
  for (const figure of await benchApiCeiling(cluster.kubeconfig, objects, concurrency, rounds)) process.stdout.write(`${formatFigure(figure)}\n`);
} finally {
  await cluster.stop();
  await rm(home, { recursive: true, force: true });
}
