/**
 * The total capacity of the matched nodes, summed per resource name from what each kubelet
 * reports (node.status.capacity). Kubernetes quantities are parsed to milli-units so "500m" cpu
 * and "16Gi" memory add up exactly; unparseable values are skipped, never thrown on.
 */
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

interface Parsed {
  readonly milli: number;
  readonly binary: boolean;
}

/** A quantity in thousandths of its unit, or undefined when it is not a quantity. */
export function parseQuantity(value: unknown): Parsed | undefined {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, number = "", suffix = ""] = match;
  const binary = suffix in BINARY;
  const factor = binary ? BINARY[suffix] : suffix in DECIMAL ? DECIMAL[suffix] : 10 ** Number(suffix.slice(1));
  const milli = Math.round(Number(number) * (factor ?? 1) * 1000);
  return Number.isFinite(milli) ? { milli, binary } : undefined;
}

/** Canonical text of a sum: "1500m", "8", or the largest binary suffix that divides it. */
export function formatQuantity({ milli, binary }: Parsed): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const units = milli / 1000;
  if (binary && units !== 0) {
    for (const [suffix, factor] of Object.entries(BINARY).reverse()) {
      if (units % factor === 0) return `${units / factor}${suffix}`;
    }
  }
  return String(units);
}

/** Sums the capacity maps of `nodes` per resource name. */
export function totalCapacity(capacities: readonly unknown[]): Record<string, string> {
  const sums = new Map<string, Parsed>();
  for (const capacity of capacities) {
    if (typeof capacity !== "object" || capacity === null) continue;
    for (const [name, value] of Object.entries(capacity)) {
      const parsed = parseQuantity(value);
      if (!parsed) continue;
      const sum = sums.get(name) ?? { milli: 0, binary: false };
      sums.set(name, { milli: sum.milli + parsed.milli, binary: sum.binary || parsed.binary });
    }
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([name, sum]) => [name, formatQuantity(sum)]));
}
