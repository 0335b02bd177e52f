// Pure formatting for the aegis CLI (kubectl-aegis): tables, colours, json/yaml, the describe
// and events views. No I/O here: the commands pass what they read and print what comes back.
import { stringify } from "yaml";
import type { ExecutionStatus } from "../api/index.ts";

export type OutputFormat = "table" | "json" | "yaml";

/** Colours on or off: on only for a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const sgr = (code: number) => (s: string): string => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string): string => s;

export const paint = (colour: boolean): Paint =>
  colour
    ? { bold: sgr(1), dim: sgr(2), green: sgr(32), red: sgr(31), yellow: sgr(33) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string): number => s.replace(ANSI, "").length;

/** Left-aligned columns separated by three spaces, as `kubectl get` prints them; no trailing spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visibleLength(c)))).join("   ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** An object for scripts: JSON (2-space indent) or YAML. */
export function formatData(value: unknown, format: "json" | "yaml"): string {
  return format === "json" ? JSON.stringify(value, null, 2) : stringify(value).trimEnd();
}

/** One line, at most `max` characters (an ellipsis marks a cut). */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

const num = (n: number | undefined, digits = 2): string => (n === undefined ? "-" : n.toFixed(digits));

export function colourPhase(phase: string | undefined, p: Paint): string {
  if (phase === undefined) return "-";
  if (phase === "Succeeded") return p.green(phase);
  if (phase === "Failed" || phase === "Cancelled") return p.red(phase);
  return p.yellow(phase);
}

export interface ExecutionView {
  readonly metadata: { name?: string; namespace?: string; creationTimestamp?: string | Date };
  readonly spec?: { agentRef?: { name: string }; workflowRef?: { name: string }; cancel?: boolean };
  readonly status?: ExecutionStatus;
}

/** `describe`: the run's summary, the iterations table, then tokens, cost and the output preview. */
export function formatDescribe(ex: ExecutionView, p: Paint, feedbackWidth = 60): string {
  const s = ex.status ?? {};
  const target = ex.spec?.agentRef ? `agent ${ex.spec.agentRef.name}` : ex.spec?.workflowRef ? `workflow ${ex.spec.workflowRef.name}` : "-";
  const lines = [
    `${p.bold("Name:")}        ${ex.metadata.name ?? "-"}`,
    `${p.bold("Namespace:")}   ${ex.metadata.namespace ?? "-"}`,
    `${p.bold("Runs:")}        ${target}`,
    `${p.bold("Phase:")}       ${colourPhase(s.phase ?? "Pending", p)}${s.reason ? ` (${s.reason})` : ""}${ex.spec?.cancel ? " cancel requested" : ""}`,
  ];
  if (s.message) lines.push(`${p.bold("Message:")}     ${s.message}`);
  lines.push(`${p.bold("Iteration:")}   ${s.iterationDisplay ?? `${s.iteration ?? 0}/${s.maxIterations ?? "-"}`}`);
  lines.push(`${p.bold("Score:")}       ${num(s.score)}`);
  const tokenParts = s.inputTokens !== undefined || s.outputTokens !== undefined ? ` (input ${s.inputTokens ?? 0}, output ${s.outputTokens ?? 0})` : "";
  lines.push(`${p.bold("Tokens:")}      ${s.tokens ?? 0}${tokenParts}`);
  lines.push(`${p.bold("Cost:")}        ${s.cost === undefined ? "-" : `$${s.cost.toFixed(4)}`}`);
  if (s.startTime) lines.push(`${p.bold("Started:")}     ${s.startTime}`);
  if (s.completionTime) lines.push(`${p.bold("Completed:")}   ${s.completionTime}`);
  lines.push("", p.bold("Iterations:"));
  const iterations = s.iterations ?? [];
  if (iterations.length === 0) lines.push("  (none yet)");
  else {
    const rows = iterations.map((it) => [
      String(it.number), colourPhase(it.phase, p), it.exitCode === undefined ? "-" : String(it.exitCode),
      num(it.score), num(it.confidence), it.feedback ? oneLine(it.feedback, feedbackWidth) : "-",
    ]);
    lines.push(indent(table(["#", "PHASE", "EXIT", "SCORE", "CONFIDENCE", "FEEDBACK"], rows)));
  }
  lines.push("", `${p.bold("Output preview:")}${s.outputTruncated ? p.dim(" (truncated)") : ""}`);
  lines.push(s.outputPreview ? indent(s.outputPreview) : "  (none)");
  return lines.join("\n");
}

const indent = (text: string): string => text.split("\n").map((l) => (l === "" ? l : `  ${l}`)).join("\n");

export interface EventView {
  readonly metadata?: { name?: string; creationTimestamp?: string | Date };
  readonly eventTime?: string | null;
  readonly deprecatedLastTimestamp?: string | null;
  readonly series?: { lastObservedTime?: string };
  readonly type?: string;
  readonly reason?: string;
  readonly note?: string;
  readonly reportingController?: string;
}

/** The time an Event last happened: series last, then eventTime, then creation. */
export const eventTimeOf = (e: EventView): string =>
  e.series?.lastObservedTime ?? e.eventTime ?? e.deprecatedLastTimestamp ?? String(e.metadata?.creationTimestamp ?? "");

/** Events oldest first (ties by name, so the order is stable). */
export function sortEvents<T extends EventView>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => {
    const ta = Date.parse(eventTimeOf(a)) || 0;
    const tb = Date.parse(eventTimeOf(b)) || 0;
    return ta - tb || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
  });
}

/** Age of `time` at `now`, as kubectl shows it: 45s, 3m, 2h, 4d. */
export function age(time: string, now: Date): string {
  const t = Date.parse(time);
  if (Number.isNaN(t)) return "-";
  const seconds = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function formatEvents(events: readonly EventView[], p: Paint, now: Date): string {
  if (events.length === 0) return "No events.";
  const rows = sortEvents(events).map((e) => [
    age(eventTimeOf(e), now), e.type === "Warning" ? p.red("Warning") : (e.type ?? "-"), e.reason ?? "-", e.reportingController ?? "-", oneLine(e.note ?? "", 200),
  ]);
  return table(["AGE", "TYPE", "REASON", "FROM", "MESSAGE"], rows);
}

/** A line of `run --watch` for a status: the phase and, once started, the iteration and score. */
export function formatPhaseLine(name: string, s: ExecutionStatus | undefined, p: Paint): string {
  const phase = colourPhase(s?.phase ?? "Pending", p);
  const parts = [`${name}`, phase];
  if (s?.iterationDisplay) parts.push(`iteration ${s.iterationDisplay}`);
  if (s?.score !== undefined) parts.push(`score ${num(s.score)}`);
  if (s?.reason && (s.phase === "Succeeded" || s.phase === "Failed" || s.phase === "Cancelled")) parts.push(`(${s.reason})`);
  return parts.join("  ");
}

/** The progress line shown on a TTY during a long wait (rewritten in place with \r). */
export function formatProgress(name: string, phase: string | undefined, elapsedMs: number): string {
  const frames = ["|", "/", "-", "\\"];
  const seconds = Math.floor(elapsedMs / 1000);
  return `${frames[seconds % frames.length]} waiting for ${name}: ${phase ?? "Pending"} (${seconds}s)`;
}
