/**
 * Label selectors as Kubernetes evaluates them (matchLabels AND matchExpressions; an absent or
 * empty selector selects everything). Pure and total: a malformed selector selects nothing
 * rather than throwing, because a status must still be reported for it.
 */
import type { LabelSelector } from "../../src/api/index.ts";

type Labels = Readonly<Record<string, string>>;

function requirementHolds(labels: Labels, req: unknown): boolean {
  if (typeof req !== "object" || req === null) return false;
  const { key, operator, values } = req as { key?: unknown; operator?: unknown; values?: unknown };
  if (typeof key !== "string") return false;
  const list = Array.isArray(values) ? values : [];
  const has = Object.hasOwn(labels, key);
  switch (operator) {
    case "In": return has && list.includes(labels[key]);
    case "NotIn": return !has || !list.includes(labels[key]);
    case "Exists": return has;
    case "DoesNotExist": return !has;
    default: return false;
  }
}

/** True when `labels` satisfy `selector`. */
export function selects(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (selector === undefined || selector === null) return true;
  if (typeof selector !== "object") return false;
  const have = labels ?? {};
  const { matchLabels, matchExpressions } = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== "object") return false;
    for (const [key, value] of Object.entries(matchLabels)) {
      if (have[key] !== value) return false;
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return false;
    return matchExpressions.every((req) => requirementHolds(have, req));
  }
  return true;
}
