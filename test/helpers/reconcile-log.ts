/**
 * Reading the reconcile-log controller's files (src/runtime/reconcile-log-controller.ts): one
 * interval per reconcile, and the overlaps that must never happen.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface Interval {
  readonly object: string;
  readonly identity: string;
  readonly start: number;
  /** Infinity when the process died before the reconcile ended. */
  readonly end: number;
}

/** Pure: intervals of one object's log, and lines that break the start/end pairing. */
export function parseReconcileLog(object: string, text: string): { intervals: Interval[]; problems: string[] } {
  const open = new Map<string, number>();
  const intervals: Interval[] = [];
  const problems: string[] = [];
  for (const line of text.split("\n").filter(Boolean)) {
    const [what, identity = "", at = ""] = line.split(" ");
    const time = Number(at);
    if (what === "start") {
      if (open.has(identity)) problems.push(`${object}: ${identity} started twice without an end (concurrent reconciles in one process)`);
      open.set(identity, time);
    } else if (what === "end" && open.has(identity)) {
      intervals.push({ object, identity, start: open.get(identity)!, end: time });
      open.delete(identity);
    } else {
      problems.push(`${object}: unexpected line "${line}"`);
    }
  }
  for (const [identity, start] of open) intervals.push({ object, identity, start, end: Infinity });
  return { intervals, problems };
}

/** Pure: pairs of intervals of one object by different identities that overlap in time. */
export function overlaps(intervals: readonly Interval[]): [Interval, Interval][] {
  const found: [Interval, Interval][] = [];
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < sorted[i]!.end; j++) {
      if (sorted[j]!.identity !== sorted[i]!.identity) found.push([sorted[i]!, sorted[j]!]);
    }
  }
  return found;
}

export async function readReconcileLogs(dir: string): Promise<{ intervals: Interval[]; problems: string[]; overlaps: [Interval, Interval][] }> {
  const all: Interval[] = [];
  const problems: string[] = [];
  const pairs: [Interval, Interval][] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".log"))) {
    const parsed = parseReconcileLog(file, await readFile(join(dir, file), "utf8"));
    all.push(...parsed.intervals);
    problems.push(...parsed.problems);
    pairs.push(...overlaps(parsed.intervals));
  }
  return { intervals: all, problems, overlaps: pairs };
}
