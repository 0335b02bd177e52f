/**
 * Pure: the metric catalog (docs/metrics.md) as data, and how it differs from a registry. The
 * catalog's tables have the header `| Metric | Type | Labels | Meaning |`; a name ending in `*`
 * (process_*) stands for every metric with that prefix.
 */
import type { Registry } from "prom-client";

export interface CatalogEntry {
  readonly name: string;
  /** counter, gauge, histogram, summary; "various" for a prefix entry. */
  readonly type: string;
  readonly labels: readonly string[];
}

export interface RegisteredMetric {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
}

const cells = (line: string): string[] => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
const code = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");

/** Every row of every `| Metric | Type | Labels | …` table. */
export function parseCatalog(markdown: string): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  let inTable = false;
  for (const line of markdown.split("\n")) {
    if (!line.trim().startsWith("|")) {
      inTable = false;
      continue;
    }
    const row = cells(line);
    if (row[0] === "Metric" && row[1] === "Type" && row[2] === "Labels") {
      inTable = true;
      continue;
    }
    if (!inTable || /^-+$/.test(row[0] ?? "")) continue;
    const [name] = code(row[0] ?? "");
    if (name === undefined) throw new Error(`catalog row without a metric name: ${line}`);
    entries.push({ name, type: row[1] ?? "", labels: code(row[2] ?? "") });
  }
  return entries;
}

/** The metrics of a registry: name, type and label names. */
export async function registeredMetrics(registry: Registry): Promise<RegisteredMetric[]> {
  const json = await registry.getMetricsAsJSON();
  return json.map((m) => ({
    name: m.name,
    type: String(m.type),
    labels: [...((registry.getSingleMetric(m.name) as unknown as { labelNames?: readonly string[] } | undefined)?.labelNames ?? [])],
  }));
}

const isPrefix = (e: CatalogEntry): boolean => e.name.endsWith("*");
const matches = (e: CatalogEntry, name: string): boolean => (isPrefix(e) ? name.startsWith(e.name.slice(0, -1)) : e.name === name);
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** What is wrong with the catalog, one line each; empty when it matches the registry. */
export function catalogProblems(catalog: readonly CatalogEntry[], registered: readonly RegisteredMetric[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of catalog) {
    if (seen.has(e.name)) problems.push(`${e.name}: listed twice`);
    seen.add(e.name);
  }
  for (const m of registered) {
    const entry = catalog.find((e) => e.name === m.name) ?? catalog.find((e) => isPrefix(e) && matches(e, m.name));
    if (entry === undefined) problems.push(`${m.name}: registered but not in the catalog`);
    else if (!isPrefix(entry) && entry.type !== m.type) problems.push(`${m.name}: the catalog says ${entry.type}, the registry ${m.type}`);
    else if (!isPrefix(entry) && !sameSet(entry.labels, m.labels)) {
      problems.push(`${m.name}: the catalog's labels [${entry.labels.join(", ")}], the registry's [${m.labels.join(", ")}]`);
    }
  }
  for (const e of catalog) {
    if (!registered.some((m) => matches(e, m.name))) problems.push(`${e.name}: in the catalog but not registered (stale)`);
  }
  return problems;
}

/** The series names a histogram exposes besides its own name. */
const HISTOGRAM_SERIES = ["_bucket", "_sum", "_count"];

/** The catalog metric a series name belongs to (a histogram's _bucket, _sum and _count included), if any. */
export function catalogMetricOf(catalog: readonly CatalogEntry[], series: string): CatalogEntry | undefined {
  const direct = catalog.find((e) => matches(e, series));
  if (direct !== undefined) return direct;
  const suffix = HISTOGRAM_SERIES.find((s) => series.endsWith(s));
  if (suffix === undefined) return undefined;
  const base = catalog.find((e) => e.name === series.slice(0, -suffix.length));
  return base?.type === "histogram" ? base : undefined;
}
