import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatFigure, median, percentile, runPool } from "./stats.ts";

describe("median", () => {
  it("is the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("lies between the minimum and the maximum", () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (values) => {
      const m = median(values);
      return m >= Math.min(...values) && m <= Math.max(...values);
    }));
  });

  it("refuses an empty list", () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe("runPool", () => {
  it("runs every task once and never more than `concurrency` at a time", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(25, 4, async (i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      seen.push(i);
      inFlight -= 1;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(peak).toBe(4);
  });
});

describe("formatFigure", () => {
  it("prints the ratio to the baseline", () => {
    expect(formatFigure({ name: "executions created", value: 300, unit: "objects/s", baseline: { name: "configmaps", value: 400 } })).toMatch(
      /executions created\s+300 objects\/s {2}\(0\.75× configmaps\)$/,
    );
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it("is monotonic in p and stays within the values", () => {
    fc.assert(fc.property(fc.array(fc.integer(), { minLength: 1 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (values, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return percentile(values, lo) <= percentile(values, hi) && values.includes(percentile(values, hi));
    }));
  });
});
