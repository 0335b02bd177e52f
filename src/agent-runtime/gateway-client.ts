// The HTTP client of the execution-loop contract (docs/design/execution-loop.md): bearer token on
// every call, a timeout per call, typed errors, and retries while the gateway is away: connection
// errors and 503 (an operator restarting re-learns running iterations' tokens) are retried with
// capped backoff for up to a window (default 60 s). Other HTTP errors are never retried here: the
// gateway retries providers itself, and every gateway write is idempotent.
import type { ChatRequest } from "./chat-wire.ts";
import { GatewayError, isConnectionError } from "./gateway-errors.ts";
import { iterationSchema, type IterationInfo } from "./iteration.ts";

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
}

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
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const chatTimeoutMs = options.chatTimeoutMs ?? 600_000;
  const toolCallTimeoutMs = options.toolCallTimeoutMs ?? 600_000;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const retryWindowMs = options.retryWindowMs ?? 60_000;

  async function call(method: string, path: string, body: unknown, signal: AbortSignal, ms = timeoutMs): Promise<unknown> {
    const name = `${method} ${path}`;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(name, method, path, body, signal, ms);
      } catch (error) {
        const delay = retryDelay(error, attempt, retryDelayMs);
        if (delay === undefined || Date.now() + delay - started > retryWindowMs) throw error;
        await sleep(delay, signal).catch(() => {
          throw new GatewayError("Aborted", name, "aborted");
        });
      }
    }
  }

  async function once(name: string, method: string, path: string, body: unknown, signal: AbortSignal, ms: number): Promise<unknown> {
    const timeout = AbortSignal.timeout(ms);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new GatewayError("Aborted", name, "aborted", { cause: error });
      if (timeout.aborted) throw new GatewayError("Timeout", name, `no answer within ${ms} ms`, { cause: error });
      if (isConnectionError(error)) throw new GatewayError("Network", name, `connection failed: ${describe(error)}`, { cause: error });
      throw new GatewayError("InvalidResponse", name, describe(error), { cause: error });
    }
    if (response.status === 401) throw new GatewayError("Unauthorized", name, "the token was refused (401)", { status: 401 });
    if (response.status === 403) throw new GatewayError("Forbidden", name, "the execution is finished or the call is not allowed (403)", { status: 403 });
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
