// The HTTP client of the execution-loop contract (docs/design/execution-loop.md): bearer token on
// every call, a timeout per call, typed errors, and retries while the gateway is away: connection
// errors and 503 (an operator restarting re-learns running iterations' tokens) are retried with
// capped backoff for up to a window (default 60 s). Other HTTP errors are never retried here: the
// gateway retries providers itself, and every gateway write is idempotent.
import { readFile } from "node:fs/promises";
import { trace } from "@opentelemetry/api";
import { exportPublicJwk, generateKeyPair } from "../seal/keys.ts";
import { encodeEnvelope, signEnvelope } from "../seal/sign.ts";
import type { ChatRequest } from "./chat-wire.ts";
import { GatewayError, isConnectionError } from "./gateway-errors.ts";
import { iterationSchema, type IterationInfo } from "./iteration.ts";
import { createSealSession } from "./seal-session.ts";
import { inSpan, SERVICE, SpanKind, traceHeaders, tracerFor } from "../telemetry/index.ts";

/** The result of a tool the gateway ran itself (an MCP tool): the runtime runs nothing and reports nothing. */
export type GatewayToolResult = { ok: true; content: unknown } | { ok: false; error: unknown };

export type ToolDecision = { decision: "allow"; result?: GatewayToolResult } | { decision: "deny"; code: string; message: string };

export interface ToolCallReport {
  ok: boolean;
  content?: unknown;
  error?: unknown;
  durationMs: number;
}

export interface GatewayClient {
  iteration(signal: AbortSignal): Promise<IterationInfo>;
  /** The raw completion body; parsing it is the loop's business (parseCompletion). */
  chat(request: ChatRequest, signal: AbortSignal): Promise<unknown>;
  askToolCall(call: { seq: number; name: string; arguments: Record<string, unknown> }, signal: AbortSignal): Promise<ToolDecision>;
  reportToolResult(seq: number, report: ToolCallReport, signal: AbortSignal): Promise<void>;
  postOutput(output: { output: string; exitCode?: number }, signal: AbortSignal): Promise<void>;
  /** SEAL: attests now (main calls it at start); signed calls attest on first use anyway. */
  attest?(signal: AbortSignal): Promise<void>;
}

export interface SealClientOptions {
  /** The projected service-account token the pod attests with (read at each attestation). */
  saTokenFile: string;
  /** Epoch milliseconds (tests). */
  clock?: () => number;
}

/** Refusals after which one new attestation may help: the token expired, or the gateway's key changed (a restart without its Secret). */
const REATTEST = new Set(["TokenExpired", "UnknownKey", "BadTokenSignature"]);
/** The execution-loop writes that travel as SEAL envelopes. */
const signedPath = (path: string): boolean => path === "/v1/tool-calls" || path === "/v1/output" || /^\/v1\/tool-calls\/\d+\/result$/.test(path);

export interface GatewayClientOptions {
  baseUrl: string;
  token: string;
  /** Per call (default 30 s). */
  timeoutMs?: number;
  /** Per model turn (default 10 min): a model is slow, the iteration timeout bounds it anyway. */
  chatTimeoutMs?: number;
  /** Per tool-call decision (default 10 min): the gateway runs MCP tools within it. */
  toolCallTimeoutMs?: number;
  /** First wait before retrying a connection error or a 503 (default 250 ms; doubles up to 2 s). */
  retryDelayMs?: number;
  /** How long connection errors and 503s are retried from a call's first attempt (default 60 s). */
  retryWindowMs?: number;
  /** SEAL (docs/seal.md): the key pair is generated here and never leaves the process. Absent: plain bodies. */
  seal?: SealClientOptions;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const chatTimeoutMs = options.chatTimeoutMs ?? 600_000;
  const toolCallTimeoutMs = options.toolCallTimeoutMs ?? 600_000;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const retryWindowMs = options.retryWindowMs ?? 60_000;
  const seal = options.seal;
  const keys = seal === undefined ? undefined : generateKeyPair();

  async function attestation(signal: AbortSignal): Promise<string> {
    const serviceAccountToken = (await readFile(seal!.saTokenFile, "utf8")).trim();
    const answer = (await call("POST", "/v1/seal/attest", { serviceAccountToken, publicKey: exportPublicJwk(keys!.publicKey) }, signal)) as { token?: unknown } | undefined;
    if (typeof answer?.token !== "string") throw new GatewayError("InvalidResponse", "POST /v1/seal/attest", "no token in the answer");
    return answer.token;
  }

  // Re-attests before the token expires (seal-session.ts), and after a refusal below.
  const session = createSealSession(attestation, seal?.clock ?? Date.now);

  /** The request body: JSON, or (SEAL) an envelope signed for this route, fresh per attempt. */
  async function encode(name: string, path: string, body: unknown, signal: AbortSignal): Promise<string | undefined> {
    if (body === undefined) return undefined;
    if (keys === undefined || !signedPath(path)) return JSON.stringify(body);
    const token = await session.token(signal);
    // Through JSON first: undefined members vanish, as they would on the wire.
    const payload = JSON.parse(JSON.stringify(body)) as unknown;
    return encodeEnvelope(signEnvelope(payload, { route: name, token, privateKey: keys.privateKey, clock: seal?.clock ?? Date.now }));
  }

  async function call(method: string, path: string, body: unknown, signal: AbortSignal, ms = timeoutMs): Promise<unknown> {
    const name = `${method} ${path}`;
    const started = Date.now();
    let reattested = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const encoded = await encode(name, path, body, signal);
        // A CLIENT span per attempt; its traceparent header makes the gateway's span its child.
        const attributes = { "http.request.method": method, "url.path": path };
        return await inSpan(tracerFor(SERVICE.runtime), name, { kind: SpanKind.CLIENT, attributes }, () => once(name, method, path, encoded, signal, ms));
      } catch (error) {
        if (error instanceof GatewayError && error.sealCode !== undefined && REATTEST.has(error.sealCode) && !reattested && signedPath(path)) {
          reattested = true;
          session.drop();
          continue;
        }
        const delay = retryDelay(error, attempt, retryDelayMs);
        if (delay === undefined || Date.now() + delay - started > retryWindowMs) throw error;
        await sleep(delay, signal).catch(() => {
          throw new GatewayError("Aborted", name, "aborted");
        });
      }
    }
  }

  async function once(name: string, method: string, path: string, body: string | undefined, signal: AbortSignal, ms: number): Promise<unknown> {
    const timeout = AbortSignal.timeout(ms);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers: { ...traceHeaders(), authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body,
        signal: AbortSignal.any([signal, timeout]),
      });
      trace.getActiveSpan()?.setAttribute("http.response.status_code", response.status);
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new GatewayError("Aborted", name, "aborted", { cause: error });
      if (timeout.aborted) throw new GatewayError("Timeout", name, `no answer within ${ms} ms`, { cause: error });
      if (isConnectionError(error)) throw new GatewayError("Network", name, `connection failed: ${describe(error)}`, { cause: error });
      throw new GatewayError("InvalidResponse", name, describe(error), { cause: error });
    }
    const sealCode = response.ok ? undefined : sealCodeOf(text);
    const why = sealCode === undefined ? "" : ` (SEAL ${sealCode})`;
    if (response.status === 401) throw new GatewayError("Unauthorized", name, `the token was refused (401)${why}`, { status: 401, ...(sealCode ? { sealCode } : {}) });
    if (response.status === 403) throw new GatewayError("Forbidden", name, `the execution is finished or the call is not allowed (403)${why}`, { status: 403, ...(sealCode ? { sealCode } : {}) });
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      throw new GatewayError("HttpError", name, `HTTP ${response.status}: ${text.slice(0, 500)}`, {
        status: response.status, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
    if (text === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new GatewayError("InvalidResponse", name, `the answer is not JSON: ${text.slice(0, 200)}`, { status: response.status, cause: error });
    }
  }

  return {
    ...(keys === undefined ? {} : { attest: async (signal: AbortSignal) => void (await session.token(signal)) }),
    async iteration(signal) {
      const body = await call("GET", "/v1/iteration", undefined, signal);
      const parsed = iterationSchema.safeParse(body);
      if (!parsed.success) throw new GatewayError("InvalidResponse", "GET /v1/iteration", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return parsed.data;
    },
    chat: (request, signal) => call("POST", "/v1/chat/completions", request, signal, chatTimeoutMs),
    async askToolCall(toolCall, signal) {
      const body = (await call("POST", "/v1/tool-calls", toolCall, signal, toolCallTimeoutMs)) as { decision?: unknown; code?: unknown; message?: unknown; result?: unknown } | undefined;
      if (body?.decision === "allow") {
        const result = gatewayResult(body.result);
        return result === undefined ? { decision: "allow" } : { decision: "allow", result };
      }
      if (body?.decision === "deny") return { decision: "deny", code: String(body.code ?? "Denied"), message: String(body.message ?? "the call was denied") };
      throw new GatewayError("InvalidResponse", "POST /v1/tool-calls", `no decision in ${JSON.stringify(body)?.slice(0, 200)}`);
    },
    async reportToolResult(seq, report, signal) {
      await call("POST", `/v1/tool-calls/${seq}/result`, report, signal);
    },
    async postOutput(output, signal) {
      await call("POST", "/v1/output", output, signal);
    },
  };
}

/** Pure: the `code` of a SEAL refusal body `{ code, message }`, if that is what it is. */
export function sealCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown } | null;
    return typeof body?.code === "string" && typeof body.message === "string" ? body.code : undefined;
  } catch {
    return undefined;
  }
}

/** Pure: the result in an allow answer, when the gateway ran the tool (`ok` is what tells). */
export function gatewayResult(raw: unknown): GatewayToolResult | undefined {
  if (raw === null || typeof raw !== "object" || !("ok" in raw) || typeof raw.ok !== "boolean") return undefined;
  const r = raw as { ok: boolean; content?: unknown; error?: unknown };
  return r.ok ? { ok: true, content: r.content ?? "" } : { ok: false, error: r.error ?? "the tool failed" };
}

/** Pure: how long to wait before retrying after `error`, or undefined when it is not worth a retry. */
export function retryDelay(error: unknown, attempt: number, firstDelayMs: number): number | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  if (error.code !== "Network" && !(error.code === "HttpError" && error.status === 503)) return undefined;
  const backoff = Math.min(2_000, firstDelayMs * 2 ** Math.min(attempt - 1, 10));
  return Math.min(5_000, Math.max(backoff, error.retryAfterMs ?? 0));
}

const describe = (error: unknown): string => {
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  const base = error instanceof Error ? error.message : String(error);
  return typeof cause?.message === "string" ? `${base} (${cause.message})` : base;
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
