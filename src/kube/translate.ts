/**
 * Pure translation of any failure of a call to the API server into a `KubeApiError`: a
 * Kubernetes `Status` body, a bare HTTP status, a client-node `ApiException`, a network error
 * (ECONNREFUSED, ECONNRESET… → "Unreachable"), a timeout. It never throws, whatever it is given:
 * callers translate inside `catch` blocks, where a second failure would hide the first.
 */
import { KUBE_REASONS, KubeApiError, type FieldCause, type KubeReason } from "./errors.ts";

/** What an HTTP response that failed tells us. */
export interface HttpFailure {
  readonly status: number;
  /** The parsed body (a Status object, usually) or its raw text. */
  readonly body?: unknown;
  /** Response headers; only Retry-After is read. */
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** Status reasons the API server uses that are not in KUBE_REASONS, mapped to the closest one. */
const REASON_ALIASES: ReadonlyMap<string, KubeReason> = new Map(Object.entries({
  Expired: "Gone", // an expired continue token: the list must start again
  InternalError: "ServerError",
  ServerTimeout: "Timeout",
  MethodNotAllowed: "BadRequest",
  NotAcceptable: "BadRequest",
  UnsupportedMediaType: "BadRequest",
  RequestEntityTooLarge: "BadRequest",
} satisfies Record<string, KubeReason>));

const BY_CODE: ReadonlyMap<number, KubeReason> = new Map<number, KubeReason>([
  [400, "BadRequest"],
  [401, "Unauthorized"],
  [403, "Forbidden"],
  [404, "NotFound"],
  [408, "Timeout"],
  [409, "Conflict"],
  [410, "Gone"],
  [422, "Invalid"],
  [429, "TooManyRequests"],
  [500, "ServerError"],
  [503, "ServiceUnavailable"],
  [504, "Timeout"],
]);

/** Node's network error codes that mean the server was not reached (or the connection died). */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN",
  "ECONNABORTED", "EADDRNOTAVAIL", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ERR_STREAM_PREMATURE_CLOSE",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const isKnownReason = (v: unknown): v is KubeReason => typeof v === "string" && (KUBE_REASONS as readonly string[]).includes(v);

/** The reason for an HTTP status when the body names none. */
export function reasonForCode(code: number): KubeReason {
  const exact = BY_CODE.get(code);
  if (exact) return exact;
  if (code >= 500 && code < 600) return "ServerError";
  if (code >= 400 && code < 500) return "BadRequest";
  return "Unknown";
}

function reasonOf(statusReason: unknown, code: number): KubeReason {
  if (isKnownReason(statusReason) && statusReason !== "Unknown") return statusReason;
  const alias = typeof statusReason === "string" ? REASON_ALIASES.get(statusReason) : undefined;
  return alias ?? reasonForCode(code);
}

function causesOf(details: unknown): FieldCause[] {
  if (!isRecord(details) || !Array.isArray(details.causes)) return [];
  return details.causes.filter(isRecord).map((c) => {
    const cause: { field?: string; message?: string; reason?: string } = {};
    const field = str(c.field);
    const message = str(c.message);
    const reason = str(c.reason);
    if (field !== undefined) cause.field = field;
    if (message !== undefined) cause.message = message;
    if (reason !== undefined) cause.reason = reason;
    return cause;
  });
}

/** Retry-After in whole seconds, from a header value (seconds or an HTTP date) or a Status detail. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
  if (Array.isArray(value)) return parseRetryAfter(value[0], now);
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function headerValue(headers: unknown, name: string): unknown {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

const isStatus = (v: unknown): v is Record<string, unknown> => isRecord(v) && v.kind === "Status";

/** A `Status` object (a response body or the object of a watch ERROR event). */
export function fromStatus(status: Record<string, unknown>, httpStatus?: number, headers?: unknown): KubeApiError {
  const code = typeof status.code === "number" && Number.isInteger(status.code) && status.code > 0 ? status.code : (httpStatus ?? 0);
  const reason = reasonOf(status.reason, code);
  const message = str(status.message) ?? `${reason} (HTTP ${code})`;
  const details = status.details;
  const retryAfterSeconds = parseRetryAfter(headerValue(headers, "retry-after")) ?? (isRecord(details) ? parseRetryAfter(details.retryAfterSeconds) : undefined);
  return new KubeApiError(reason, code, message, {
    causes: causesOf(details),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** A failed HTTP response. */
export function fromHttp(failure: HttpFailure): KubeApiError {
  const body = parseBody(failure.body);
  if (isStatus(body)) return fromStatus(body, failure.status, failure.headers);
  const reason = reasonForCode(failure.status);
  const text = typeof body === "string" && body.trim() !== "" ? `: ${body.trim().slice(0, 500)}` : "";
  const retryAfterSeconds = parseRetryAfter(headerValue(failure.headers, "retry-after"));
  return new KubeApiError(reason, failure.status, `${reason} (HTTP ${failure.status})${text}`, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
}

/** Follows `cause` chains a few levels for a network code (undici wraps socket errors). */
function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    const code = str(current.code);
    if (code && (UNREACHABLE_CODES.has(code) || TIMEOUT_CODES.has(code))) return code;
    const name = str(current.name);
    if (name === "TimeoutError") return "ETIMEDOUT";
    current = current.cause;
  }
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (isRecord(err) && typeof err.message === "string") return err.message;
  if (typeof err === "string") return err;
  return "unknown failure";
}

function translateUnsafe(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  if (isStatus(err)) return fromStatus(err);
  if (isRecord(err)) {
    // client-node's ApiException: { code, body, headers }; fetch-style responses: { status | statusCode, body }.
    const status = [err.code, err.statusCode, err.status].find((c): c is number => typeof c === "number" && Number.isInteger(c) && c >= 100 && c < 600);
    if (status !== undefined) {
      const translated = fromHttp({ status, body: err.body, headers: isRecord(err.headers) ? err.headers : undefined });
      return new KubeApiError(translated.reason, translated.code, translated.message, { causes: [...translated.causes], ...(translated.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: translated.retryAfterSeconds }), cause: err });
    }
  }
  const code = networkCode(err);
  if (code && TIMEOUT_CODES.has(code)) return new KubeApiError("Timeout", 0, `Timed out talking to the API server: ${messageOf(err)}`, { cause: err });
  if (code) return new KubeApiError("Unreachable", 0, `API server unreachable (${code}): ${messageOf(err)}`, { cause: err });
  return new KubeApiError("Unknown", 0, messageOf(err), { cause: err });
}

/** Any failure → a KubeApiError; never throws. */
export function translateError(err: unknown): KubeApiError {
  try {
    return translateUnsafe(err);
  } catch (inner) {
    // Only hostile input gets here (throwing getters, proxies): keep what we can.
    return new KubeApiError("Unknown", 0, "untranslatable failure", { cause: inner });
  }
}
