// The Grafana dashboard in manifests/observability/ queries only metrics of the catalog
// (docs/metrics.md), covers what the catalog promises, and its kustomization ships it as a
// ConfigMap the Grafana sidecar loads.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogMetricOf, parseCatalog } from "./catalog.ts";
import { metricNames } from "./promql.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DIR = join(ROOT, "manifests", "observability");
const DASHBOARD = join(DIR, "dashboards", "aegis-operator.json");

interface Target { readonly expr?: string; readonly datasource?: { readonly uid?: string } }
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly uid?: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { readonly name: string; readonly type: string; readonly query: unknown }[] };
}

const dashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard;
const allPanels = (panels: readonly Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** Every PromQL the dashboard runs: its panels' targets and its query variables. */
function queries(d: Dashboard): { where: string; expr: string }[] {
  const fromPanels = allPanels(d.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr ?? "" })));
  const fromVariables = d.templating.list.filter((v) => v.type === "query").map((v) => {
    const q = v.query as string | { query?: string };
    const text = typeof q === "string" ? q : (q.query ?? "");
    // label_values(<series selector>, label): the selector is PromQL.
    return { where: `$${v.name}`, expr: /^label_values\((.*),\s*\w+\)$/.exec(text)?.[1] ?? text };
  });
  return [...fromPanels, ...fromVariables];
}

describe("metricNames (PromQL)", () => {
  it.each([
    ['histogram_quantile(0.99, sum by (le, route) (rate(aegis_gateway_request_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))', ["aegis_gateway_request_duration_seconds_bucket"]],
    ['sum(rate(a_total{x="rate(b_total)"}[5m])) / sum(rate(c_total[5m] offset 1h)) > 0.2', ["a_total", "c_total"]],
    ["max(up) by (instance) * on (instance) group_left(version) build_info and vector(1)", ["up", "build_info"]],
    ["sum without (pod) (x) > bool 1e3", ["x"]],
    ["count(y)", ["y"]],
  ])("%s", (expr, names) => {
    expect(metricNames(expr).sort()).toEqual([...names].sort());
  });
});

describe("the Grafana dashboard", () => {
  const catalog = parseCatalog(readFileSync(join(ROOT, "docs", "metrics.md"), "utf8"));

  it("queries only metrics the catalog lists", () => {
    const unknown = queries(dashboard()).flatMap(({ where, expr }) =>
      metricNames(expr).filter((name) => catalogMetricOf(catalog, name) === undefined).map((name) => `${where}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it("has a panel for each area of the catalog", () => {
    const used = new Set(queries(dashboard()).flatMap(({ expr }) => metricNames(expr)).map((n) => catalogMetricOf(catalog, n)?.name));
    for (const name of [
      "aegis_executions", "aegis_execution_iterations_total", "aegis_gateway_tokens_total", "aegis_gateway_cost_usd_total", "aegis_gateway_tool_calls_total",
      "aegis_validator_score", "aegis_gateway_request_duration_seconds", "aegis_webhook_admission_duration_seconds", "controller_runtime_reconcile_total",
      "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds", "workqueue_depth", "leader_election_master_status",
    ]) expect(used, name).toContain(name);
  });

  it("is well formed: unique panel ids, every query on the datasource variable, panels inside the 24-column grid", () => {
    const d = dashboard();
    const panels = allPanels(d.panels);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(d.templating.list.map((v) => v.name)).toContain("datasource");
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === "row") continue;
      expect(p.datasource?.uid, p.title).toBe("${datasource}");
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe("${datasource}");
    }
  });

  it("ships as a ConfigMap with the Grafana sidecar's label, holding the dashboard file", () => {
    const k = parse(readFileSync(join(DIR, "kustomization.yaml"), "utf8")) as {
      configMapGenerator: { name: string; files: string[]; options: { labels: Record<string, string>; disableNameSuffixHash: boolean } }[];
    };
    const [generator] = k.configMapGenerator;
    expect(generator?.options.labels.grafana_dashboard).toBe("1");
    // A stable name: a hash suffix would leave the old ConfigMap (and a duplicate dashboard) behind.
    expect(generator?.options.disableNameSuffixHash).toBe(true);
    const files = (generator?.files ?? []).map((f) => f.split("=").at(-1) ?? "");
    expect(files.map((f) => join(DIR, f))).toEqual([DASHBOARD]);
    expect(existsSync(join(dirname(DASHBOARD), "..", "prometheus-operator", "servicemonitor.yaml"))).toBe(true);
  });
});
