/**
 * The admission round trip through the real API server, with and without our webhooks (issue 5:
 * webhook added p99 at most 10 ms at 50 concurrent applies). A fresh local control plane with
 * manifests/base installed (CRDs, aegis-system, the default Cedar policies); the webhook server
 * runs in its own process with the operator's wiring. Each apply is a server-side apply creating
 * a new Agent (examples/agent-coder.yaml under a new name). Rounds alternate between no webhook
 * configurations and ours (ABBA). The phase at --concurrency (50) decides: exit 0 only when its
 * added p99 meets the target and the baseline's own round-to-round noise is within it too
 * (MET); MISSED or INCONCLUSIVE exit 1. A second phase with one client in flight (--single pairs, 0 skips it)
 * shows the added latency of a call when nothing queues. Usage:
 *   npm run bench:admission [-- --pairs 4 --applies 500 --concurrency 50 --target 10 --single 2 --cpu-profile <dir>]
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { createKubeClient } from "../../src/kube/client.ts";
import { NAMESPACES } from "../../src/kube/resources.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { startLocalCluster } from "../../src/local/cluster.ts";
import { repoRoot } from "../../src/local/paths.ts";
import { startWebhookProcess, webhookSwitch } from "./admission-io.ts";
import { runPhase } from "./admission-phase.ts";

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "4" },
    applies: { type: "string", default: "500" },
    concurrency: { type: "string", default: "50" },
    target: { type: "string", default: "10" },
    single: { type: "string", default: "2" },
    /** Where the webhook process writes a V8 CPU profile (open it in Chrome DevTools). */
    "cpu-profile": { type: "string" },
  },
});
const targetMs = Number(values.target);
const NAMESPACE = "bench-admission";
const print = (line: string) => process.stdout.write(`${line}\n`);

const example = parse(readFileSync(join(repoRoot(), "examples", "agent-coder.yaml"), "utf8")) as KubeObject & { spec: Record<string, unknown> };
const agent = (name: string): KubeObject => ({ ...example, metadata: { ...example.metadata, name, namespace: NAMESPACE } });
/** Only our validating webhook refuses it (the CRD schema accepts any pattern string). */
const denied: KubeObject = {
  ...agent("probe-denied"),
  spec: { ...example.spec, execution: { ...(example.spec["execution"] as object), validation: [{ type: "Regex", pattern: "(" }] } },
};

print(`admission round trip — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, node ${process.version}`);
print(`server-side apply of new Agents (examples/agent-coder.yaml); target: added p99 ≤ ${targetMs} ms at ${values.concurrency} in flight\n`);

const home = await mkdtemp(join(tmpdir(), "aegis-bench-admission-"));
const cluster = await startLocalCluster({ home, node: false, operator: false });
let met: boolean | undefined;
try {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const client = createKubeClient(kc);
  await client.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  const webhooks = await startWebhookProcess(cluster.kubeconfig, values["cpu-profile"]);
  try {
    const common = { client, controlPlane: cluster.controlPlane, webhooks, toggle: await webhookSwitch(client, agent("probe"), denied), agent, targetMs, print };
    const c = await runPhase({ ...common, label: `c${values.concurrency}`, concurrency: Number(values.concurrency), pairs: Number(values.pairs), applies: Number(values.applies) });
    if (Number(values.single) > 0) {
      print("");
      await runPhase({ ...common, label: "c1", concurrency: 1, pairs: Number(values.single), applies: 200 });
    }
    met = c.met;
    print(`\nwebhook added p99 at ${values.concurrency} in flight: ${c.addedP99.toFixed(2)} ms (with ${c.webhooks.p99.toFixed(1)} ms = ${c.ratioP99.toFixed(2)}× without ${c.baseline.p99.toFixed(1)} ms); `
      + `noise (spread of the baseline rounds' p99) ${c.noiseP99.toFixed(1)} ms; target ≤ ${targetMs} ms ${c.verdict.toUpperCase()}`);
  } finally {
    await webhooks.stop();
  }
} finally {
  await cluster.stop();
  await rm(home, { recursive: true, force: true });
}
process.exitCode = met === true ? 0 : 1;
