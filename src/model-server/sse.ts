// Server-sent events framing (WHATWG HTML, "Server-sent events"): encode for the server, parse as a client does.

export interface SseEvent {
  event?: string;
  data: string;
}

/** One event as written on the wire; data with newlines becomes several data lines. */
export function encodeSse(e: SseEvent): string {
  const head = e.event === undefined ? "" : `event: ${e.event}\n`;
  return `${head}${e.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join("")}\n`;
}

/** An incremental parser: feed it the body as it arrives, in pieces cut anywhere; it gives the events completed so far. */
export interface SseParser {
  push(text: string): SseEvent[];
  /** The body ended: its last line is read, even without its newline. */
  end(): SseEvent[];
}

export function createSseParser(): SseParser {
  let event: string | undefined;
  let data: string[] = [];
  let hasData = false;
  let rest = "";
  const line = (text: string, out: SseEvent[]): void => {
    if (text === "") {
      if (hasData) out.push(event === undefined ? { data: data.join("\n") } : { event, data: data.join("\n") });
      event = undefined;
      data = [];
      hasData = false;
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") {
      data.push(value);
      hasData = true;
    }
  };
  return {
    push(text) {
      const out: SseEvent[] = [];
      // A "\r" at the end may be the first half of "\r\n": it waits for the next piece.
      const held = (rest + text).endsWith("\r") ? "\r" : "";
      const lines = (rest + text).slice(0, held === "" ? undefined : -1).split(/\r\n|\r|\n/);
      // The last piece is not a whole line yet.
      rest = (lines.pop() ?? "") + held;
      for (const l of lines) line(l, out);
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      for (const l of rest.split(/\r\n|\r|\n/)) line(l, out);
      rest = "";
      return out;
    },
  };
}

/** Parses a complete SSE body into its events, the way EventSource does (comments and ids ignored). */
export function parseSse(body: string): SseEvent[] {
  const parser = createSseParser();
  return [...parser.push(body), ...parser.end()];
}

/** Splits text into pieces of at most `size` code points (none for empty text), as a model streams it. */
export function chunkText(text: string, size: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(""));
  return pieces;
}
