/**
 * Pure: the metric names a PromQL expression reads. Enough PromQL for dashboards and alert rules:
 * string literals, label matchers `{…}`, ranges and subqueries `[…]`, grouping label lists
 * (`by`, `without`, `on`, `ignoring`, `group_left`, `group_right`), function calls, keywords
 * and numbers are not metric names; every other identifier is one. Grafana variables ($job,
 * $__rate_interval) are left alone.
 */

const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const KEYWORDS = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2",
  "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio",
  "inf", "nan",
]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(GROUPING, " ")
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_:]*\}?/g, " ");
  const names = new Set<string>();
  // Not after a word character: the unit of 5m or the exponent of 1e3 is no name.
  for (const m of stripped.matchAll(/(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (name === undefined || call !== undefined || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
