import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRounds, cpuMsOfStat, histogramTotals, meanDeltaMs, schedule, verdictOf, type Round } from "./admission-stats.ts";

describe("schedule", () => {
  it("alternates which mode goes first (ABBA)", () => {
    expect(schedule(3)).toEqual(["baseline", "webhooks", "webhooks", "baseline", "baseline", "webhooks"]);
  });

  it("runs each mode once per pair", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), (pairs) => {
      const rounds = schedule(pairs);
      return rounds.length === 2 * pairs && rounds.filter((m) => m === "webhooks").length === pairs;
    }));
  });
});

describe("compareRounds", () => {
  const ms = (base: number) => Array.from({ length: 100 }, (_, i) => base + i / 10);

  it("pools each mode's rounds and reports the added latency and the ratio", () => {
    const rounds: Round[] = [
      { mode: "baseline", samples: ms(10) }, { mode: "webhooks", samples: ms(14) },
      { mode: "webhooks", samples: ms(16) }, { mode: "baseline", samples: ms(10) },
    ];
    const c = compareRounds(rounds, 10);
    expect(c.baseline).toEqual({ p50: 14.9, p99: 19.8, count: 200 });
    expect(c.webhooks.count).toBe(200);
    expect(c.addedP99).toBeCloseTo(c.webhooks.p99 - 19.8);
    expect(c.ratioP99).toBeCloseTo(c.webhooks.p99 / 19.8);
    expect(c.pairAddedP99.map((v) => Math.round(v * 10) / 10)).toEqual([4, 6]);
    expect(c.medianPairAddedP99).toBeCloseTo(5);
    expect(c.noiseP99).toBe(0);
    expect(c.verdict).toBe("met");
    expect(c.met).toBe(true);
  });

  it("says the target is missed when the added p99 exceeds it", () => {
    const c = compareRounds([{ mode: "baseline", samples: ms(10) }, { mode: "webhooks", samples: ms(25) }], 10);
    expect(c.addedP99).toBeCloseTo(15);
    expect(c.verdict).toBe("missed");
    expect(c.met).toBe(false);
  });

  it("measures the noise as the spread of the baseline rounds' p99", () => {
    const c = compareRounds([
      { mode: "baseline", samples: ms(10) }, { mode: "webhooks", samples: ms(10) },
      { mode: "webhooks", samples: ms(10) }, { mode: "baseline", samples: ms(60) },
    ], 10);
    expect(c.noiseP99).toBeCloseTo(50);
    expect(c.verdict).toBe("inconclusive");
  });
});

describe("verdictOf", () => {
  it("is met only when both the added p99 and the noise are within the target", () => {
    expect(verdictOf(5, [5, 5], 8, 10)).toBe("met");
    expect(verdictOf(-500, [-500, 400], 900, 10)).toBe("inconclusive");
  });

  it("is missed when the added p99 stands out of the noise, or every pair misses", () => {
    expect(verdictOf(500, [500, 1], 300, 10)).toBe("missed");
    expect(verdictOf(500, [400, 600], 900, 10)).toBe("missed");
    expect(verdictOf(500, [1000, 1], 900, 10)).toBe("inconclusive");
  });
});

describe("histogramTotals", () => {
  const text = [
    "# HELP apiserver_admission_webhook_admission_duration_seconds [STABLE] Admission webhook latency",
    "# TYPE apiserver_admission_webhook_admission_duration_seconds histogram",
    'apiserver_admission_webhook_admission_duration_seconds_bucket{name="agents.mutate.aegis.dev",operation="CREATE",rejected="false",type="admit",le="0.005"} 90',
    'apiserver_admission_webhook_admission_duration_seconds_sum{name="agents.mutate.aegis.dev",operation="CREATE",rejected="false",type="admit"} 0.3',
    'apiserver_admission_webhook_admission_duration_seconds_count{name="agents.mutate.aegis.dev",operation="CREATE",rejected="false",type="admit"} 100',
    'apiserver_admission_webhook_admission_duration_seconds_sum{name="agents.validate.aegis.dev",operation="CREATE",rejected="true",type="validating"} 0.01',
    'apiserver_admission_webhook_admission_duration_seconds_count{name="agents.validate.aegis.dev",operation="CREATE",rejected="true",type="validating"} 2',
    'apiserver_admission_webhook_admission_duration_seconds_sum{name="agents.validate.aegis.dev",operation="CREATE",rejected="false",type="validating"} 0.19',
    'apiserver_admission_webhook_admission_duration_seconds_count{name="agents.validate.aegis.dev",operation="CREATE",rejected="false",type="validating"} 48',
    'apiserver_admission_step_admission_duration_seconds_sum{operation="CREATE",rejected="false",type="admit"} 9',
  ].join("\n");

  it("sums _sum and _count per label value across the other labels", () => {
    const totals = histogramTotals(text, "apiserver_admission_webhook_admission_duration_seconds", "name");
    expect(totals.get("agents.mutate.aegis.dev")).toEqual({ sum: 0.3, count: 100 });
    expect(totals.get("agents.validate.aegis.dev")?.count).toBe(50);
    expect(totals.get("agents.validate.aegis.dev")?.sum).toBeCloseTo(0.2);
    expect(totals.size).toBe(2);
  });

  it("gives the mean of the samples between two readings in ms", () => {
    const before = new Map([["a", { sum: 1, count: 100 }], ["b", { sum: 2, count: 10 }]]);
    const after = new Map([["a", { sum: 1.5, count: 200 }], ["b", { sum: 2, count: 10 }], ["c", { sum: 0.01, count: 1 }]]);
    expect(meanDeltaMs(before, after)).toEqual(new Map([["a", { meanMs: 5, count: 100 }], ["c", { meanMs: 10, count: 1 }]]));
  });
});

describe("cpuMsOfStat", () => {
  it("adds user and system time, whatever the command name holds", () => {
    const stat = "4242 (kube (api) server) S 1 4242 4242 0 -1 4194304 124 0 0 0 150 25 0 0 20 0 12 0 48915 3133440 413";
    expect(cpuMsOfStat(stat)).toBe(1750);
    expect(cpuMsOfStat(stat, 1000)).toBe(175);
  });

  it("refuses what is not a stat line", () => {
    expect(() => cpuMsOfStat("nonsense")).toThrow(/stat/);
  });
});
