/** Pure parsing of one line of a watch stream (one JSON WatchEvent per line). */
import type { KubeApiError } from "./errors.ts";
import { fromStatus } from "./translate.ts";
import type { KubeObject, WatchEventType } from "./types.ts";

export type WatchLine =
  | { readonly kind: "event"; readonly type: WatchEventType; readonly object: KubeObject }
  /** An in-stream ERROR event: a Status, e.g. 410 when the resourceVersion is too old. */
  | { readonly kind: "error"; readonly error: KubeApiError }
  /** Unparseable or of an unknown type: skipped rather than failing the whole watch. */
  | { readonly kind: "skip"; readonly why: string };

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(["ADDED", "MODIFIED", "DELETED", "BOOKMARK"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseWatchLine(line: string): WatchLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: "skip", why: "not JSON" };
  }
  if (!isRecord(parsed) || !isRecord(parsed.object)) return { kind: "skip", why: "no object" };
  const { type, object } = parsed;
  if (type === "ERROR") return { kind: "error", error: fromStatus(object) };
  if (typeof type !== "string" || !EVENT_TYPES.has(type)) return { kind: "skip", why: `unknown type ${String(type)}` };
  if (!isRecord(object.metadata)) return { kind: "skip", why: "no metadata" };
  return { kind: "event", type: type as WatchEventType, object: object as KubeObject };
}
