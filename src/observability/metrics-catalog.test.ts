// docs/metrics.md is the catalog of what /metrics serves: every metric the operator registers is
// listed with its type and labels, and nothing listed is gone.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createOperatorMetrics } from "../operator-metrics.ts";
import { catalogMetricOf, catalogProblems, parseCatalog, registeredMetrics, type CatalogEntry } from "./catalog.ts";

const DOC = join(import.meta.dirname, "..", "..", "docs", "metrics.md");
const catalog = (): CatalogEntry[] => parseCatalog(readFileSync(DOC, "utf8"));

describe("the metric catalog (docs/metrics.md)", () => {
  it("lists exactly what the operator registers, with each metric's type and labels", async () => {
    const registered = await registeredMetrics(createOperatorMetrics().registry);
    // The registry is the operator's, defaults included: an empty list would prove nothing.
    expect(registered.map((m) => m.name)).toEqual(expect.arrayContaining([
      "controller_runtime_reconcile_total", "aegis_gateway_tokens_total", "aegis_executions", "aegis_execution_iterations_total",
      "aegis_validator_score", "aegis_webhook_admission_duration_seconds", "process_cpu_seconds_total",
    ]));
    expect(catalogProblems(catalog(), registered)).toEqual([]);
  });

  it("has a documented meaning for every entry", () => {
    const text = readFileSync(DOC, "utf8");
    for (const entry of catalog()) {
      const row = text.split("\n").find((l) => l.startsWith(`| \`${entry.name}\``)) ?? "";
      expect(row.split("|")[4]?.trim().length, entry.name).toBeGreaterThan(10);
    }
  });
});

describe("catalogProblems", () => {
  const registry = new Registry();
  new Counter({ name: "demo_total", help: "h", labelNames: ["a", "b"], registers: [registry] });
  new Histogram({ name: "demo_seconds", help: "h", labelNames: [], registers: [registry] });
  new Counter({ name: "proc_x_total", help: "h", registers: [registry] });

  it("accepts a matching catalog, prefixes included", async () => {
    const doc = [
      "| Metric | Type | Labels | Meaning |", "|---|---|---|---|",
      "| `demo_total` | counter | `b`, `a` | demo |", "| `demo_seconds` | histogram | — | demo |", "| `proc_*` | various | — | process |",
    ].join("\n");
    expect(catalogProblems(parseCatalog(doc), await registeredMetrics(registry))).toEqual([]);
  });

  it("names undocumented, stale, mistyped and mislabelled entries", async () => {
    const doc = [
      "| Metric | Type | Labels | Meaning |", "|---|---|---|---|",
      "| `demo_total` | gauge | `a`, `b` | demo |", "| `demo_seconds` | histogram | `le2` | demo |", "| `gone_total` | counter | — | removed |",
    ].join("\n");
    expect(catalogProblems(parseCatalog(doc), await registeredMetrics(registry))).toEqual([
      "demo_total: the catalog says gauge, the registry counter",
      "demo_seconds: the catalog's labels [le2], the registry's []",
      "proc_x_total: registered but not in the catalog",
      "gone_total: in the catalog but not registered (stale)",
    ]);
  });

  it("reads only the catalog's tables, and maps a histogram's series to it", () => {
    const entries = parseCatalog("| Path | Checks |\n|---|---|\n| `/x` | y |\n\n| Metric | Type | Labels | Meaning |\n|---|---|---|---|\n| `h_seconds` | histogram | `k` | h |\n");
    expect(entries).toEqual([{ name: "h_seconds", type: "histogram", labels: ["k"] }]);
    expect(catalogMetricOf(entries, "h_seconds_bucket")?.name).toBe("h_seconds");
    expect(catalogMetricOf(entries, "h_seconds_total")).toBeUndefined();
  });
});
