/** Small statistics and formatting for the benchmarks' printed figures. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Runs `task` with at most `concurrency` in flight until `total` have completed. */
export async function runPool(total: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The baseline this figure is compared to, measured in the same run. */
  readonly baseline?: { readonly name: string; readonly value: number };
}

export function formatFigure(f: Figure): string {
  const value = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  const ratio = f.baseline ? `  (${(f.value / f.baseline.value).toFixed(2)}× ${f.baseline.name})` : "";
  return `${f.name.padEnd(44)} ${value.padStart(9)} ${f.unit}${ratio}`;
}
