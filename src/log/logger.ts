/**
 * The operator's pino logger: plain JSON lines (what log collectors in a cluster read), level
 * from the config, and every field whose name looks like a secret replaced before it is written,
 * at any depth and in child bindings too (pino's path-based redact cannot say "any field named
 * *token*", and child loggers skip the bindings formatter), so it is done on the finished line.
 */
import { pino, type Logger, type DestinationStream } from "pino";

/** Field names that hold credentials: secret, token, apiKey/api_key, password, authorization… */
const SECRET_FIELD = /secret|token|api[-_]?key|passw(or)?d|authorization|credential|private[-_]?key|cookie/i;
export const REDACTED = "[REDACTED]";
const MAX_DEPTH = 8;

/** A quick test on the serialised line: only lines with such a key are parsed and rewritten. */
const SECRET_KEY_IN_JSON = new RegExp(`"[^"]*(?:${SECRET_FIELD.source})[^"]*":`, "i");

/** Pure: a copy of `value` with secret-named fields replaced; non-plain objects pass through. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Error, Date, Buffer: left to serializers
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, SECRET_FIELD.test(key) && v !== undefined && v !== null && v !== "" ? REDACTED : redactFields(v, depth + 1)]),
  );
}

export interface LoggerOptions {
  readonly level: string;
  /** Base fields on every line (e.g. the replica's identity). */
  readonly base?: Record<string, unknown>;
  /** Where lines go; stdout by default. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: redactLine },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** Pure: a serialised log line with secret-named fields replaced. */
export function redactLine(line: string): string {
  if (!SECRET_KEY_IN_JSON.test(line)) return line;
  try {
    return `${JSON.stringify(redactFields(JSON.parse(line)))}\n`;
  } catch {
    return line;
  }
}
