/**
 * Container log files and the kubelet log query (pure). Each file line is in the CRI format
 * the kubelet reads: `<RFC 3339 time> <stdout|stderr> <F|P> <content>`, where F ends a line
 * and P is a partial line (output that did not end in a newline).
 */

export type Stream = "stdout" | "stderr";

export interface LogEntry {
  time: Date;
  stream: Stream;
  partial: boolean;
  content: string;
}

export function encodeEntry(e: LogEntry): string {
  return `${e.time.toISOString()} ${e.stream} ${e.partial ? "P" : "F"} ${e.content}\n`;
}

/** Parses one file line; undefined for a line that is not in the format. */
export function parseEntry(line: string): LogEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
  if (!m) return undefined;
  const time = new Date(m[1] ?? "");
  if (Number.isNaN(time.getTime())) return undefined;
  return { time, stream: m[2] as Stream, partial: m[3] === "P", content: m[4] ?? "" };
}

/** Splits process output into lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private rest = "";

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split("\n");
    this.rest = parts.pop() ?? "";
    return parts;
  }

  /** The unfinished tail at the end of the stream, if any. */
  flush(): string | undefined {
    const rest = this.rest;
    this.rest = "";
    return rest === "" ? undefined : rest;
  }
}

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number | undefined;
  limitBytes?: number | undefined;
  since?: Date | undefined;
}

/** Parses the query of `GET /containerLogs/…`; an error message for a bad value. */
export function parseLogQuery(params: URLSearchParams, now: Date): { ok: true; query: LogQuery } | { ok: false; message: string } {
  const bool = (name: string): boolean => {
    const v = params.get(name);
    return v === "true" || v === "1";
  };
  const int = (name: string, min: number): number | undefined | Error => {
    const v = params.get(name);
    if (v === null || v === "") return undefined;
    if (!/^-?\d+$/.test(v) || Number(v) < min) return new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const tailLines = int("tailLines", 0);
  const limitBytes = int("limitBytes", 1);
  const sinceSeconds = int("sinceSeconds", 1);
  for (const v of [tailLines, limitBytes, sinceSeconds]) if (v instanceof Error) return { ok: false, message: v.message };
  let since: Date | undefined;
  if (typeof sinceSeconds === "number") since = new Date(now.getTime() - sinceSeconds * 1000);
  const sinceTime = params.get("sinceTime");
  if (sinceTime) {
    since = new Date(sinceTime);
    if (Number.isNaN(since.getTime())) return { ok: false, message: `sinceTime must be an RFC 3339 time, got ${JSON.stringify(sinceTime)}` };
  }
  return {
    ok: true,
    query: {
      follow: bool("follow"),
      previous: bool("previous"),
      timestamps: bool("timestamps"),
      tailLines: tailLines as number | undefined,
      limitBytes: limitBytes as number | undefined,
      since,
    },
  };
}

/** The entries a query asks for from a file's current contents (`since`, then `tailLines`). */
export function selectEntries(entries: readonly LogEntry[], query: LogQuery): LogEntry[] {
  const since = query.since;
  const recent = since ? entries.filter((e) => e.time >= since) : [...entries];
  if (query.tailLines === undefined) return recent;
  // Count whole lines: a line made of partial pieces counts once, at its end.
  let lines = 0;
  let start = recent.length;
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const entry = recent[i];
    if (entry && !entry.partial) {
      if (lines === query.tailLines) break;
      lines += 1;
    }
    start = i;
  }
  return query.tailLines === 0 ? [] : recent.slice(start);
}

/** One entry as the client sees it. */
export function formatEntry(e: LogEntry, timestamps: boolean): string {
  return `${timestamps ? `${e.time.toISOString()} ` : ""}${e.content}${e.partial ? "" : "\n"}`;
}
