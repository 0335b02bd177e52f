// One provider call over HTTP: per-attempt timeout, retries on 429/5xx/connection errors with
// capped exponential backoff and jitter (Retry-After honoured), never on other 4xx. A streaming
// call is retried the same way until the provider accepts it, never after. Error
// messages never carry the API key (it is scrubbed from any echoed provider text).
import { setTimeout as sleepFor } from "node:timers/promises";
import { createSseParser, type SseEvent } from "../../model-server/sse.ts";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from "../retry.ts";
import { traceHeaders } from "../../telemetry/index.ts";

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

type Attempt<T> = { ok: true; value: T } | { ok: false; status: number | undefined; retryAfterMs: number | undefined; message: string };

/** A failed fetch as an attempt: a timeout (the signal's reason is a TimeoutError) or a connection failure. */
function failed(error: unknown, timeoutMs: number): Attempt<never> {
  const e = error as Error;
  const what = e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : `connection failed (${e.message})`;
  return { ok: false, status: undefined, retryAfterMs: undefined, message: what };
}

async function refused(res: Response): Promise<Attempt<never>> {
  return { ok: false, status: res.status, retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), Date.now()), message: (await res.text()).slice(0, 512) };
}

const post = (o: CallOptions, signal: AbortSignal): Promise<Response> =>
  fetch(o.url, { method: "POST", headers: { "content-type": "application/json", ...traceHeaders(), ...o.headers }, body: JSON.stringify(o.body), signal });

async function attemptJson(o: CallOptions): Promise<Attempt<unknown>> {
  try {
    const res = await post(o, o.signal === undefined ? AbortSignal.timeout(o.timeoutMs) : AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]));
    if (!res.ok) return await refused(res);
    const text = await res.text();
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, status: 502, retryAfterMs: undefined, message: "answer is not JSON" };
    }
  } catch (error) {
    return failed(error, o.timeoutMs);
  }
}

/** Attempts until one succeeds, the error is not worth a retry, the retries are used up or the caller aborts. */
async function withRetries<T>(o: CallOptions, attempt: (o: CallOptions) => Promise<Attempt<T>>): Promise<T> {
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
    if (during !== undefined) {
      if (result.ok && result.value instanceof ProviderStream) result.value.cancel();
      throw during;
    }
    if (result.ok) return result.value;
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

/** POSTs the JSON body and returns the parsed JSON answer, or throws a ProviderError. */
export function callProvider(o: CallOptions): Promise<unknown> {
  return withRetries(o, attemptJson);
}

/**
 * An accepted streaming answer: its SSE events as they arrive. The per-attempt timeout bounds the
 * wait for the answer's headers and then every wait for the next piece of the body.
 */
export class ProviderStream {
  readonly #o: CallOptions;
  readonly #res: Response;
  readonly #idle: AbortController;
  #timer: NodeJS.Timeout;
  constructor(o: CallOptions, res: Response, idle: AbortController, timer: NodeJS.Timeout) {
    this.#o = o;
    this.#res = res;
    this.#idle = idle;
    this.#timer = timer;
  }

  /** Stops reading (the connection is dropped); the events then end with an error. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#idle.abort(new DOMException("the stream was cancelled", "AbortError"));
  }

  /** The events; throws a ProviderError (status undefined) when the body breaks or stalls. */
  async *events(): AsyncGenerator<SseEvent> {
    const o = this.#o;
    const body = this.#res.body;
    const parser = createSseParser();
    const decoder = new TextDecoder();
    try {
      if (body === null) return;
      for await (const bytes of body) {
        this.#touch();
        yield* parser.push(decoder.decode(bytes, { stream: true }));
      }
      yield* parser.push(decoder.decode());
      yield* parser.end();
    } catch (error) {
      const what = failed(error, o.timeoutMs);
      throw new ProviderError(scrub(`provider ${o.provider}: the stream broke: ${what.ok ? "" : what.message}`, o.secrets), undefined, 1);
    } finally {
      this.cancel();
    }
  }

  #touch(): void {
    clearTimeout(this.#timer);
    this.#timer = idleTimer(this.#idle, this.#o.timeoutMs);
  }
}

/** Aborts `idle` with a TimeoutError after `ms` (unref'd: only the request it guards keeps the process up). */
function idleTimer(idle: AbortController, ms: number): NodeJS.Timeout {
  return setTimeout(() => idle.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError")), ms).unref();
}

async function attemptStream(o: CallOptions): Promise<Attempt<ProviderStream>> {
  const idle = new AbortController();
  const timer = idleTimer(idle, o.timeoutMs);
  try {
    const res = await post(o, o.signal === undefined ? idle.signal : AbortSignal.any([o.signal, idle.signal]));
    if (res.ok) return { ok: true, value: new ProviderStream(o, res, idle, timer) };
    const answer = await refused(res);
    clearTimeout(timer);
    return answer;
  } catch (error) {
    clearTimeout(timer);
    return failed(error, o.timeoutMs);
  }
}

/** POSTs a streaming request; resolves once the provider accepted it (retried as callProvider before that). */
export function openProviderStream(o: CallOptions): Promise<ProviderStream> {
  return withRetries(o, attemptStream);
}
