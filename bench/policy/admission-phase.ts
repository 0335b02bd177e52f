/**
 * One phase of the admission round-trip benchmark: interleaved rounds (ABBA) of server-side
 * applies at one concurrency, without and with our webhook configurations, printed with where
 * the added time goes (the webhook server's handling time and connections, the API server's
 * view of each webhook call, CPU time per apply of each process).
 */
import { availableParallelism } from "node:os";
import type { ControlPlane } from "../../src/local/controlplane/controlplane.ts";
import { AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { formatFigure, percentile, runPool } from "../stats.ts";
import { apiServerWebhookTotals, cpuMs, FIELD_MANAGER, type WebhookProcess, type WebhookSwitch } from "./admission-io.ts";
import { compareRounds, meanDeltaMs, schedule, type Comparison, type Mode, type Round } from "./admission-stats.ts";
import type { ProcessStats } from "./webhook-process.ts";

export interface PhaseInput {
  readonly client: KubeClient;
  readonly controlPlane: ControlPlane;
  readonly webhooks: WebhookProcess;
  readonly toggle: WebhookSwitch;
  /** The Agent to apply under `name`. */
  readonly agent: (name: string) => KubeObject;
  readonly concurrency: number;
  readonly pairs: number;
  readonly applies: number;
  readonly targetMs: number;
  /** Prefix of the Agents' names: unique per phase. */
  readonly label: string;
  readonly print: (line: string) => void;
}

type Means = Map<string, { meanMs: number; count: number }>;

function mergeMeans(a: Means, b: Means): Means {
  const merged = new Map(a);
  for (const [key, v] of b) {
    const old = merged.get(key) ?? { meanMs: 0, count: 0 };
    const count = old.count + v.count;
    merged.set(key, { meanMs: (old.meanMs * old.count + v.meanMs * v.count) / count, count });
  }
  return merged;
}

export async function runPhase(p: PhaseInput): Promise<Comparison> {
  const { print } = p;
  const apply = (name: string) => p.client.apply(AGENTS, p.agent(name), { fieldManager: FIELD_MANAGER });
  const pidOf = (name: string) => p.controlPlane.components.find((c) => c.name === name)!.pid;
  const processes = [
    { name: "kube-apiserver", pid: pidOf("kube-apiserver") }, { name: "etcd", pid: pidOf("etcd") },
    { name: "webhook server", pid: p.webhooks.pid }, { name: "bench clients", pid: process.pid },
  ];
  const cpu: Record<Mode, number[]> = { baseline: processes.map(() => 0), webhooks: processes.map(() => 0) };
  const wallMs: Record<Mode, number> = { baseline: 0, webhooks: 0 };
  const failures: Record<Mode, string[]> = { baseline: [], webhooks: [] };
  const rounds: Round[] = [];
  const server: ProcessStats[] = [];
  let apiServerMeans: Means = new Map();
  const kubectl = p.controlPlane.binaries.kubernetes.binaries.kubectl!;

  print(`${p.label}: ${p.concurrency} in flight, ${p.pairs * 2} rounds × ${p.applies} applies (ABBA), each after ${p.concurrency} unmeasured`);
  for (const [index, mode] of schedule(p.pairs).entries()) {
    await p.toggle.set(mode === "webhooks");
    // Unmeasured: connections opened (client → API server → webhooks), caches warm.
    await runPool(p.concurrency, p.concurrency, (i) => apply(`${p.label}-r${index}-warm-${i}`).then(() => undefined));
    await p.webhooks.take();
    const metricsBefore = await apiServerWebhookTotals(kubectl, p.controlPlane.kubeconfig);
    const cpuBefore = await cpuMs(processes.map((x) => x.pid));
    const samples: number[] = [];
    const started = performance.now();
    await runPool(p.applies, p.concurrency, async (i) => {
      const t0 = performance.now();
      try {
        await apply(`${p.label}-r${index}-${i}`);
        samples.push(performance.now() - t0);
      } catch (err) {
        // A refused write is worse than a slow one: counted, reported, and the phase fails.
        failures[mode].push(err instanceof Error ? err.message : String(err));
      }
    });
    const elapsed = performance.now() - started;
    wallMs[mode] += elapsed;
    (await cpuMs(processes.map((x) => x.pid))).forEach((v, i) => (cpu[mode][i]! += v - cpuBefore[i]!));
    rounds.push({ mode, samples });
    if (mode === "webhooks") {
      server.push(await p.webhooks.take());
      apiServerMeans = mergeMeans(apiServerMeans, meanDeltaMs(metricsBefore, await apiServerWebhookTotals(kubectl, p.controlPlane.kubeconfig)));
    }
    print(`  round ${index + 1} ${mode.padEnd(8)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(samples, 99).toFixed(1).padStart(7)} ms  ${((1000 * p.applies) / elapsed).toFixed(0).padStart(4)} applies/s`);
  }

  const c = compareRounds(rounds, p.targetMs);
  for (const mode of ["baseline", "webhooks"] as const) {
    if (failures[mode].length > 0) print(`  ${failures[mode].length} applies failed ${mode === "baseline" ? "without" : "with"} webhooks; first: ${failures[mode][0]}`);
  }
  const ms = (name: string, value: number, baseline?: number) =>
    print(formatFigure({ name: `${p.label}: ${name}`, value, unit: "ms", ...(baseline !== undefined ? { baseline: { name: "without", value: baseline } } : {}) }));
  ms(`without webhooks p50 (${c.baseline.count})`, c.baseline.p50);
  ms(`without webhooks p99 (${c.baseline.count})`, c.baseline.p99);
  ms(`with webhooks p50 (${c.webhooks.count})`, c.webhooks.p50, c.baseline.p50);
  ms(`with webhooks p99 (${c.webhooks.count})`, c.webhooks.p99, c.baseline.p99);
  ms("webhook added p50", c.addedP50);
  ms("webhook added p99", c.addedP99);
  ms("webhook added p99, median of round pairs", c.medianPairAddedP99);
  print(`  added p99 per round pair: ${c.pairAddedP99.map((v) => v.toFixed(1)).join(", ")} ms; noise (spread of the baseline rounds' p99) ${c.noiseP99.toFixed(1)} ms: ${c.verdict}`);

  const total = p.pairs * p.applies;
  print(`  throughput without → with webhooks: ${((1000 * total) / wallMs.baseline).toFixed(0)} → ${((1000 * total) / wallMs.webhooks).toFixed(0)} applies/s`);
  print(`  CPU per apply, without → with: ${processes.map((x, i) => `${x.name} ${(cpu.baseline[i]! / total).toFixed(2)} → ${(cpu.webhooks[i]! / total).toFixed(2)} ms`).join(", ")}`);
  // With every core busy, each apply in flight waits for the CPU of those ahead of it.
  const addedCpu = (cpu.webhooks.reduce((a, b) => a + b, 0) - cpu.baseline.reduce((a, b) => a + b, 0)) / total;
  if (p.concurrency > availableParallelism()) {
    print(`  CPU added per apply ${addedCpu.toFixed(2)} ms: on ${availableParallelism()} saturated cores, ≈ ${((p.concurrency * addedCpu) / availableParallelism()).toFixed(0)} ms more queueing at ${p.concurrency} in flight`);
  }
  const calls = server.reduce((n, s) => n + Object.values(s.handlingMs).reduce((m, v) => m + v.length, 0), 0);
  if (calls > 0) {
    const connections = server.reduce((n, s) => n + s.connections, 0);
    print(`  webhook server: ${calls} calls, ${connections} connections accepted (TLS handshakes, ${((100 * connections) / calls).toFixed(1)} per 100 calls), `
      + `${(server.reduce((n, s) => n + s.cpuMs, 0) / calls).toFixed(2)} ms CPU per call`);
    for (const path of [...new Set(server.flatMap((s) => Object.keys(s.handlingMs)))].sort()) {
      const handling = server.flatMap((s) => s.handlingMs[path] ?? []);
      print(`  webhook server handling ${path}: p50 ${percentile(handling, 50).toFixed(2)} ms, p99 ${percentile(handling, 99).toFixed(2)} ms (${handling.length} calls)`);
    }
  }
  for (const [name, { meanMs, count }] of apiServerMeans) print(`  API server's mean call to ${name}: ${meanMs.toFixed(2)} ms (${count} calls)`);
  return failures.baseline.length + failures.webhooks.length > 0 ? { ...c, met: false } : c;
}
