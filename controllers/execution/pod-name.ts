/**
 * The deterministic name of an iteration's pod, `<execution>-<iteration>`: "already exists"
 * then means the iteration started, so a restarted operator never runs it twice. Names that
 * would pass 63 characters (a DNS label) keep a prefix and get a hash of the full name.
 */
import { createHash } from "node:crypto";

export const MAX_POD_NAME = 63;

/** `text` if it fits in `max`, else a prefix, a hash of the whole and `suffix`. */
export function bounded(text: string, max: number, suffix = ""): string {
  const full = `${text}${suffix}`;
  if (full.length <= max) return full;
  const tail = `-${createHash("sha256").update(full).digest("hex").slice(0, 10)}${suffix}`;
  return `${text.slice(0, max - tail.length).replace(/[-.]+$/, "")}${tail}`;
}

export const podNameFor = (execution: string, iteration: number): string => bounded(execution, MAX_POD_NAME, `-${iteration}`);
