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

/** Parses a complete SSE body into its events, the way EventSource does (comments and ids ignored). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  let event: string | undefined;
  let data: string[] = [];
  let hasData = false;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (hasData) events.push(event === undefined ? { data: data.join("\n") } : { event, data: data.join("\n") });
      event = undefined;
      data = [];
      hasData = false;
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") {
      data.push(value);
      hasData = true;
    }
  }
  return events;
}

/** Splits text into pieces of at most `size` code points (none for empty text), as a model streams it. */
export function chunkText(text: string, size: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(""));
  return pieces;
}
