/** Control-plane start times: cold (fresh home: new PKI, empty etcd) and warm (restart of a home). */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startControlPlane, type ControlPlane } from "../src/local/controlplane/controlplane.ts";
import { median, type Figure } from "./stats.ts";

async function timed(home: string): Promise<{ ms: number; cp: ControlPlane }> {
  const started = performance.now();
  const cp = await startControlPlane({ home });
  return { ms: performance.now() - started, cp };
}

export async function benchStart(rounds: number): Promise<Figure[]> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const home = await mkdtemp(join(tmpdir(), "aegis-bench-start-"));
    try {
      const first = await timed(home);
      cold.push(first.ms);
      await first.cp.stop();
      const second = await timed(home);
      warm.push(second.ms);
      await second.cp.stop();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }
  const coldMedian = median(cold) / 1000;
  return [
    { name: "control plane cold start (fresh home)", value: coldMedian, unit: "s" },
    { name: "control plane warm start (restart)", value: median(warm) / 1000, unit: "s", baseline: { name: "cold", value: coldMedian } },
  ];
}
