// The in-memory log of model API requests, for tests to assert what the model was asked.

export interface LoggedRequest {
  seq: number;
  at: string;
  api: "openai" | "anthropic";
  path: string;
  /** Headers with the credentials redacted. */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  model: string | undefined;
  conversation: string | undefined;
  status: number;
  /** What answered: a scripted turn (its index), an injected fault, or an error. */
  outcome: "turn" | "fault" | "error";
  turnIndex: number | undefined;
}

const SECRET_HEADERS = new Set(["authorization", "x-api-key"]);

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export interface RequestFilter {
  model?: string | undefined;
  conversation?: string | undefined;
}

export interface RequestLog {
  nextSeq(): number;
  add(entry: LoggedRequest): void;
  list(filter?: RequestFilter): LoggedRequest[];
  clear(): void;
}

/** A log that keeps the newest `capacity` entries, so a long-running server stays bounded. */
export function createRequestLog(capacity = 10_000): RequestLog {
  let seq = 0;
  let entries: LoggedRequest[] = [];
  return {
    nextSeq: () => ++seq,
    add: (entry) => {
      entries.push(entry);
      if (entries.length > capacity) entries = entries.slice(-capacity);
    },
    list: (filter = {}) =>
      entries.filter(
        (e) => (filter.model === undefined || e.model === filter.model) && (filter.conversation === undefined || e.conversation === filter.conversation),
      ),
    clear: () => {
      entries = [];
    },
  };
}
