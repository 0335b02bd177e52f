/**
 * Pure: the admission round-trip benchmark's schedule and arithmetic. Rounds alternate which
 * mode runs first (ABBA), so drift in the machine's load hits both modes alike; the figures
 * compare latencies pooled over all rounds of each mode, and per pair of adjacent rounds.
 */
import { median, percentile } from "../stats.ts";

export type Mode = "baseline" | "webhooks";

/** 2 × `pairs` rounds: baseline, webhooks, webhooks, baseline, baseline, webhooks, … */
export function schedule(pairs: number): Mode[] {
  const rounds: Mode[] = [];
  for (let i = 0; i < pairs; i += 1) rounds.push(...(i % 2 === 0 ? ["baseline", "webhooks"] as const : ["webhooks", "baseline"] as const));
  return rounds;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

export const latencyOf = (samples: readonly number[]): Latency =>
  ({ p50: percentile(samples, 50), p99: percentile(samples, 99), count: samples.length });

export interface Comparison {
  readonly baseline: Latency;
  readonly webhooks: Latency;
  readonly addedP50: number;
  readonly addedP99: number;
  /** webhooks p99 / baseline p99. */
  readonly ratioP99: number;
  /** The added p99 of each pair of adjacent rounds (one per mode), in schedule order. */
  readonly pairAddedP99: readonly number[];
  /** Their median: robust to one pair hit by a burst of outside load. */
  readonly medianPairAddedP99: number;
  readonly targetMs: number;
  /** How far the p99 of the baseline's own rounds spread (max − min): differences below it are noise. */
  readonly noiseP99: number;
  /**
   * met: the pooled added p99 is at most the target and the noise is too; missed: it exceeds the
   * target and the noise, or every pair's exceeds the target; else inconclusive.
   */
  readonly verdict: Verdict;
  readonly met: boolean;
}

export type Verdict = "met" | "missed" | "inconclusive";

export function verdictOf(addedP99: number, pairAddedP99: readonly number[], noiseP99: number, targetMs: number): Verdict {
  if (addedP99 <= targetMs) return noiseP99 <= targetMs ? "met" : "inconclusive";
  const everyPair = pairAddedP99.length > 0 && pairAddedP99.every((v) => v > targetMs);
  return addedP99 > noiseP99 || everyPair ? "missed" : "inconclusive";
}

export interface Round {
  readonly mode: Mode;
  readonly samples: readonly number[];
}

/** Pools the rounds of each mode and compares them; rounds pair up in order (0–1, 2–3, …). */
export function compareRounds(rounds: readonly Round[], targetMs: number): Comparison {
  const pooled = (mode: Mode) => rounds.filter((r) => r.mode === mode).flatMap((r) => r.samples);
  const baseline = latencyOf(pooled("baseline"));
  const webhooks = latencyOf(pooled("webhooks"));
  const pairAddedP99: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const pair = [rounds[i]!, rounds[i + 1]!];
    const base = pair.find((r) => r.mode === "baseline");
    const hooked = pair.find((r) => r.mode === "webhooks");
    if (base && hooked) pairAddedP99.push(percentile(hooked.samples, 99) - percentile(base.samples, 99));
  }
  const addedP99 = webhooks.p99 - baseline.p99;
  const baselineP99s = rounds.filter((r) => r.mode === "baseline").map((r) => percentile(r.samples, 99));
  const noiseP99 = baselineP99s.length > 1 ? Math.max(...baselineP99s) - Math.min(...baselineP99s) : 0;
  const verdict = verdictOf(addedP99, pairAddedP99, noiseP99, targetMs);
  return {
    baseline, webhooks, addedP50: webhooks.p50 - baseline.p50, addedP99, ratioP99: webhooks.p99 / baseline.p99,
    pairAddedP99, medianPairAddedP99: pairAddedP99.length > 0 ? median(pairAddedP99) : addedP99, targetMs, noiseP99, verdict, met: verdict === "met",
  };
}

/**
 * The `_sum` and `_count` of a Prometheus histogram (text exposition format), summed per value
 * of one label: e.g. the API server's apiserver_admission_webhook_admission_duration_seconds by
 * webhook `name`. Lines of other metrics, comments and samples without the label are ignored.
 */
export function histogramTotals(text: string, metric: string, label: string): Map<string, { sum: number; count: number }> {
  const totals = new Map<string, { sum: number; count: number }>();
  const pattern = new RegExp(`^${metric}_(sum|count)\\{([^}]*)\\}\\s+(\\S+)`);
  for (const line of text.split("\n")) {
    const match = pattern.exec(line);
    if (!match) continue;
    const labelValue = new RegExp(`(?:^|,)${label}="([^"]*)"`).exec(match[2]!)?.[1];
    if (labelValue === undefined) continue;
    const entry = totals.get(labelValue) ?? { sum: 0, count: 0 };
    totals.set(labelValue, match[1] === "sum" ? { ...entry, sum: entry.sum + Number(match[3]) } : { ...entry, count: entry.count + Number(match[3]) });
  }
  return totals;
}

/** Mean per label value between two readings of histogramTotals (seconds → ms); values with no new samples are left out. */
export function meanDeltaMs(
  before: ReadonlyMap<string, { sum: number; count: number }>, after: ReadonlyMap<string, { sum: number; count: number }>,
): Map<string, { meanMs: number; count: number }> {
  const means = new Map<string, { meanMs: number; count: number }>();
  for (const [key, now] of after) {
    const then = before.get(key) ?? { sum: 0, count: 0 };
    const count = now.count - then.count;
    if (count > 0) means.set(key, { meanMs: ((now.sum - then.sum) / count) * 1000, count });
  }
  return means;
}

/** User + system CPU time (ms) in a /proc/<pid>/stat line; the command name may hold spaces and parentheses. */
export function cpuMsOfStat(stat: string, ticksPerSecond = 100): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error("not a /proc/<pid>/stat line");
  return (ticks * 1000) / ticksPerSecond;
}
