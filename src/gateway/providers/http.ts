// One provider call over HTTP: per-attempt timeout, retries on 429/5xx/connection errors with
// capped exponential backoff and jitter (Retry-After honoured), never on other 4xx. Error
// messages never carry the API key (it is scrubbed from any echoed provider text).
import { setTimeout as sleepFor } from "node:timers/promises";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from "../retry.ts";

export interface CallOptions {
  readonly provider: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  /** Values that must never appear in an error (the API key). */
  readonly secrets: readonly string[];
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Told about each retry (for logs and metrics); never given the key. */
  readonly onRetry?: (info: { attempt: number; status: number | undefined; delayMs: number }) => void;
  /** The caller giving up (a judge's timeout): stops the attempt in flight and the retries. */
  readonly signal?: AbortSignal;
}

export class ProviderError extends Error {
  readonly status: number | undefined;
  readonly attempts: number;
  constructor(message: string, status: number | undefined, attempts: number) {
    super(message);
    this.name = "ProviderError";
    this.status = status;
    this.attempts = attempts;
  }
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s !== "") out = out.split(s).join("[redacted]");
  return out;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => sleepFor(ms, undefined, { signal });

type Attempt = { ok: true; json: unknown } | { ok: false; status: number | undefined; retryAfterMs: number | undefined; message: string };

async function attempt(o: CallOptions): Promise<Attempt> {
  try {
    const res = await fetch(o.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...o.headers },
      body: JSON.stringify(o.body),
      signal: o.signal === undefined ? AbortSignal.timeout(o.timeoutMs) : AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]),
    });
    const text = await res.text();
    if (res.ok) {
      try {
        return { ok: true, json: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, status: 502, retryAfterMs: undefined, message: "answer is not JSON" };
      }
    }
    return { ok: false, status: res.status, retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), Date.now()), message: text.slice(0, 512) };
  } catch (error) {
    const e = error as Error;
    const what = e.name === "TimeoutError" ? `timed out after ${o.timeoutMs} ms` : `connection failed (${e.message})`;
    return { ok: false, status: undefined, retryAfterMs: undefined, message: what };
  }
}

/** POSTs the JSON body and returns the parsed JSON answer, or throws a ProviderError. */
export async function callProvider(o: CallOptions): Promise<unknown> {
  const sleep = o.sleep ?? defaultSleep;
  const random = o.random ?? Math.random;
  // A function, not a property test, so the check after the await is not narrowed away.
  const abortedAfter = (n: number): ProviderError | undefined =>
    o.signal?.aborted === true ? new ProviderError(`provider ${o.provider}: call aborted by the caller after ${n} attempt(s)`, undefined, n) : undefined;
  for (let n = 0; ; n++) {
    const before = abortedAfter(n);
    if (before !== undefined) throw before;
    const result = await attempt(o);
    const during = abortedAfter(n + 1);
    if (during !== undefined) throw during;
    if (result.ok) return result.json;
    const retryable = result.status === undefined || isRetryableStatus(result.status);
    if (!retryable || n >= o.retry.maxRetries) {
      const status = result.status === undefined ? "" : ` answered ${result.status}`;
      throw new ProviderError(scrub(`provider ${o.provider}${status} after ${n + 1} attempt(s): ${result.message}`, o.secrets), result.status, n + 1);
    }
    const delayMs = retryDelayMs(o.retry, n, result.retryAfterMs, random());
    o.onRetry?.({ attempt: n + 1, status: result.status, delayMs });
    await sleep(delayMs, o.signal).catch(() => undefined);
  }
}
