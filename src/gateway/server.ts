// The gateway HTTP API (docs/design/execution-loop.md): iteration payload, chat completions
// (resolved alias, provider call, turn recorded, tokens and cost accounted), tool-call
// decisions and results, and the iteration's output. Every write to history is idempotent.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { z } from "zod";
import { eventId, type HistoryStore, type JsonValue } from "../history/index.ts";
import { BodyTooLarge, readBody } from "../model-server/http-io.ts";
import { OpenAIRequest, openaiError, openaiResponse, type ResponseMeta } from "../model-server/openai.ts";
import { describeIssues } from "../model-server/script.ts";
import { encodeSse } from "../model-server/sse.ts";
import { OutputBody, ToolCallBody, ToolResultBody } from "./bodies.ts";
import type { CredentialRegistry, ExecutionGrant } from "./credentials.ts";
import type { McpHub } from "./mcp/index.ts";
import { parseMcpToolName } from "./mcp/names.ts";
import { runMcpToolCall } from "./mcp-calls.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
import { createAgentChunks, createChatCollector } from "./chat-stream.ts";
import { createProviderClient } from "./providers/clients.ts";
import { ProviderError } from "./providers/http.ts";
import type { ChatRequest, ChatResult, ProviderClient, ToolSpec } from "./providers/types.ts";
import { toOpenAIBody, fromOpenAIRequest } from "./translate-openai.ts";
import { turnCost, type ModelResolver, type ResolvedModel } from "./resolve.ts";
import { decideToolCall } from "./tools.ts";
import { authorizeToolCall, type GatewayPolicies, type PolicyViolation } from "./policy-check.ts";
import { httpStatus, type SealFailure } from "../seal/codes.ts";
import type { GatewaySeal } from "./seal.ts";
import { serveTranscript, TRANSCRIPT_PATH, TRANSCRIPT_ROUTE, type TranscriptOptions } from "./transcript-stream.ts";
import { trace } from "@opentelemetry/api";
import { executionAttributes, SERVICE, traceRequest, tracerFor } from "../telemetry/index.ts";

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  readonly history: HistoryStore;
  readonly resolver: ModelResolver;
  readonly credentials: CredentialRegistry;
  readonly log: Logger;
  readonly metrics?: GatewayMetrics;
  /**
   * For this long after start an unknown token is answered 503 (Retry-After), not 401: a
   * restarted operator re-learns the tokens of running iterations as its controller reconciles
   * them, and their pods must wait, not fail. Default 30 s.
   */
  readonly warmupMs?: number;
  /** MCP servers' tools: listed in GET /v1/iteration by the agent's patterns, run here when called. */
  readonly mcp?: McpHub;
  /**
   * Cedar policies per namespace: every call the agent's spec.tools allow is then authorized
   * (docs/policy.md). Absent: spec.tools alone decides.
   */
  readonly policies?: GatewayPolicies;
  /** A call denied by policy (the operator publishes a ToolPolicyViolation Event); must not throw. */
  readonly onViolation?: (violation: PolicyViolation) => void;
  /**
   * SEAL (docs/seal.md): serves POST /v1/seal/attest, and POST /v1/tool-calls, their results and
   * /v1/output then take a signed envelope (besides the bearer token). Absent: plain JSON bodies.
   */
  readonly seal?: GatewaySeal;
  /** Serves GET /v1/executions/{namespace}/{name}/transcript (transcript-stream.ts) to Kubernetes users. Absent: 404. */
  readonly transcripts?: TranscriptOptions;
}

export interface Gateway {
  readonly url: string;
  readonly metrics: GatewayMetrics;
  stop(): Promise<void>;
}

const BODY_LIMIT = 8 * 1024 * 1024;
const MAX_PENDING_CALLS = 10_000;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let text: string;
  try {
    text = await readBody(req, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new HttpError(413, `body over ${BODY_LIMIT} bytes`);
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "malformed request: (root): body is not JSON");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, `malformed request: ${describeIssues(r.error)}`);
  return r.data;
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith("Bearer ") === true ? h.slice(7).trim() : undefined;
}

function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

const RESULT_PATH = /^\/v1\/tool-calls\/(\d{1,9})\/result$/;
const ATTEST_PATH = "/v1/seal/attest";
const ROUTES = new Set(["/v1/iteration", "/v1/chat/completions", "/v1/tool-calls", "/v1/output", ATTEST_PATH]);

/** A SEAL refusal: its documented status and `{ code, message }`. */
class SealRefusal extends Error {
  readonly failure: SealFailure;
  constructor(failure: SealFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/** The raw body, at most `limit` bytes (SEAL verifies the bytes it received). */
async function rawBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The route's name (the metrics label): the path, the result path's template, or "other". */
function routeOf(path: string): string {
  if (ROUTES.has(path)) return path;
  if (TRANSCRIPT_PATH.test(path)) return TRANSCRIPT_ROUTE;
  return RESULT_PATH.test(path) ? "/v1/tool-calls/{seq}/result" : "other";
}

/**
 * What the agent is answered when the provider failed: the provider's 4xx when the request was at
 * fault (400, 404, 413, 422…), 504 for a timeout, else 502. A provider 401/403 is the operator's
 * key problem, not the agent's token: 502, so the runtime never mistakes it for its own 401/403.
 */
function gatewayStatus(error: ProviderError): number {
  const s = error.status;
  if (s === undefined) return /timed out/.test(error.message) ? 504 : 502;
  return s >= 400 && s < 500 && s !== 401 && s !== 403 && s !== 429 ? s : 502;
}

interface PendingCall { name: string; arguments: JsonValue; startedAt: Date; policyRevision: string | null }

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const metrics = o.metrics ?? createGatewayMetrics();
  const pending = new Map<string, PendingCall>();
  const warmupEnds = performance.now() + (o.warmupMs ?? 30_000);

  /** The payload's tools, then the MCP tools the agent's patterns allow (a listed MCP tool replaces a payload entry of its name). */
  async function iterationTools(grant: ExecutionGrant): Promise<readonly ToolSpec[]> {
    const mcp = o.mcp === undefined ? [] : await o.mcp.specsFor(grant.agentTools);
    const served = new Set(mcp.map((t) => t.name));
    return [...grant.payload.tools.filter((t) => !served.has(t.name)), ...mcp];
  }

  /** The answer as turn `seq` with its tokens and cost, then the token and cost metrics; the answer's `chat.completion`. */
  async function recordAnswer(grant: ExecutionGrant, m: ResolvedModel, seq: number, result: ChatResult, meta: ResponseMeta): Promise<Record<string, unknown>> {
    const cost = turnCost(m.costPer1kTokens, result.usage.input, result.usage.output);
    const answer = openaiResponse(result, meta);
    const message = ((answer["choices"] as Record<string, unknown>[])[0]?.["message"] ?? {}) as JsonValue;
    await o.history.appendTurn({
      executionUid: grant.uid, iteration: grant.iteration, seq, role: "assistant", content: message,
      tokensIn: result.usage.input, tokensOut: result.usage.output, model: m.model, provider: m.provider, costUsd: cost,
    });
    metrics.tokens.inc({ direction: "in", alias: m.alias, provider: m.provider }, result.usage.input);
    metrics.tokens.inc({ direction: "out", alias: m.alias, provider: m.provider }, result.usage.output);
    metrics.costUsd.inc({ alias: m.alias, provider: m.provider }, cost);
    return answer;
  }

  /** The request's turns, written while the provider is called; a failed write fails the request, a failed call is the agent's answer. */
  async function withTurnsRecorded<T>(turns: Parameters<HistoryStore["appendTurns"]>[0], call: Promise<T>, onWriteFailed: (value: T) => void = () => undefined): Promise<T> {
    const [recorded, called] = await Promise.allSettled([o.history.appendTurns(turns), call]);
    if (recorded.status === "rejected") {
      if (called.status === "fulfilled") onWriteFailed(called.value);
      throw recorded.reason;
    }
    if (called.status === "rejected") {
      if (called.reason instanceof ProviderError) throw new HttpError(gatewayStatus(called.reason), called.reason.message);
      throw called.reason;
    }
    return called.value;
  }

  async function chat(grant: ExecutionGrant, body: unknown, res: ServerResponse): Promise<void> {
    const request = parse(OpenAIRequest, body);
    const resolved = await o.resolver.resolve(grant.model);
    if (!resolved.ok) throw new HttpError(503, resolved.message);
    const m = resolved.model;
    const client = createProviderClient({
      name: m.provider, flavour: m.flavour, endpoint: m.endpoint, apiKey: m.apiKey, timeoutMs: m.timeoutMs, retry: m.retry,
      onRetry: (info) => {
        metrics.providerRetries.inc({ provider: m.provider });
        o.log.warn({ execution: grant.execution, provider: m.provider, attempt: info.attempt, status: info.status, delayMs: info.delayMs }, "retrying provider call");
      },
    });
    const chatRequest = fromOpenAIRequest(request, m.model);
    const withTemperature = chatRequest.temperature === undefined && m.temperature !== undefined ? { ...chatRequest, temperature: m.temperature } : chatRequest;
    // The request's messages are turns 0..n-1 (resent each call: inserts are idempotent); the answer is turn n.
    // They are written in one statement while the provider answers; both are awaited before the
    // agent is answered, so a failed write still fails the request.
    const wire = toOpenAIBody(withTemperature)["messages"] as JsonValue[];
    const turns = wire.map((content, seq) => ({ executionUid: grant.uid, iteration: grant.iteration, seq, role: withTemperature.messages[seq]?.role ?? "user", content }));
    const meta = { id: `chatcmpl-${grant.uid.slice(0, 8)}-${grant.iteration}-${wire.length}`, created: Math.floor(Date.now() / 1000), model: grant.model };
    if (request.stream === true) {
      await streamChat(grant, m, client, withTemperature, turns, meta, request.stream_options?.include_usage === true, res);
      return;
    }
    const result = await withTurnsRecorded(turns, client.chat(withTemperature));
    send(res, 200, await recordAnswer(grant, m, wire.length, result, meta));
  }

  /**
   * `stream: true`: the provider is called streaming and each of its events is passed on to the
   * agent as it arrives (after the request's turns are written). Retries happen only before the
   * first byte to the agent; a stream that breaks after it ends the agent's stream with an error
   * event and no answer turn. The whole answer is recorded before the finish chunk and [DONE].
   */
  async function streamChat(
    grant: ExecutionGrant, m: ResolvedModel, client: ProviderClient, chatRequest: ChatRequest, turns: Parameters<HistoryStore["appendTurns"]>[0],
    meta: ResponseMeta, includeUsage: boolean, res: ServerResponse,
  ): Promise<void> {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const deltas = await withTurnsRecorded(turns, client.stream(chatRequest, { signal: gone.signal }), () => gone.abort());
    const collected = createChatCollector();
    const chunks = createAgentChunks(meta, includeUsage);
    const write = (out: Record<string, unknown>[]): void => {
      if (out.length === 0) return;
      if (!res.headersSent) res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(out.map((chunk) => encodeSse({ data: JSON.stringify(chunk) })).join(""));
    };
    let result: ChatResult;
    try {
      for await (const delta of deltas) {
        collected.add(delta);
        write(chunks.push(delta));
      }
      result = collected.result();
      await recordAnswer(grant, m, turns.length, result, meta);
    } catch (error) {
      if (!res.headersSent) {
        if (error instanceof ProviderError) throw new HttpError(gatewayStatus(error), error.message);
        throw error;
      }
      // Past the first byte: the agent's stream ends with an error event and without [DONE].
      const status = error instanceof ProviderError ? gatewayStatus(error) : 500;
      const message = error instanceof ProviderError ? error.message : "internal error";
      o.log.warn({ execution: grant.execution, provider: m.provider, err: error }, "provider stream failed after the first chunk");
      res.end(encodeSse({ data: JSON.stringify(openaiError(status, message)) }));
      return;
    }
    write(chunks.end(result));
    res.end(encodeSse({ data: "[DONE]" }));
  }

  async function toolCall(grant: ExecutionGrant, body: unknown, res: ServerResponse): Promise<void> {
    const call = parse(ToolCallBody, body);
    const args = (call.arguments ?? null) as JsonValue;
    const patterns = decideToolCall(call.name, grant.agentTools);
    // spec.tools first (what the agent declared), then Cedar (what its namespace permits).
    const checked = patterns.decision === "deny" || o.policies === undefined
      ? { decision: patterns, policyRevision: null }
      : authorizeToolCall(o.policies, grant, call.name, args, o.log);
    const decision = checked.decision;
    const policyRevision = checked.policyRevision;
    metrics.toolCalls.inc({ decision: decision.decision });
    if (decision.decision === "deny") {
      await o.history.recordToolCall({
        executionUid: grant.uid, iteration: grant.iteration, seq: call.seq, toolName: call.name, arguments: args,
        decision: "deny", policyRevision, error: decision.message, startedAt: new Date(), finishedAt: new Date(),
      });
      if ("violation" in checked && checked.violation !== undefined) {
        try {
          o.onViolation?.({ ...checked.violation, seq: call.seq });
        } catch (error) {
          o.log.warn({ err: error }, "onViolation failed");
        }
      }
    } else if (parseMcpToolName(call.name) !== undefined) {
      // Run here, answered with the result: the pod never reaches an MCP server.
      const aborted = new AbortController();
      res.once("close", () => aborted.abort());
      const result = await runMcpToolCall(o.mcp, o.history, grant, { seq: call.seq, name: call.name, arguments: args, policyRevision }, aborted.signal);
      send(res, 200, { ...decision, result });
      return;
    } else {
      pending.set(`${grant.uid}/${grant.iteration}/${call.seq}`, { name: call.name, arguments: args, startedAt: new Date(), policyRevision });
      // Bounded: a call whose result never comes (pod killed) is forgotten, oldest first.
      if (pending.size > MAX_PENDING_CALLS) pending.delete(pending.keys().next().value ?? "");
    }
    send(res, 200, decision);
  }

  async function toolResult(grant: ExecutionGrant, seq: number, body: unknown, res: ServerResponse): Promise<void> {
    const result = parse(ToolResultBody, body);
    const key = `${grant.uid}/${grant.iteration}/${seq}`;
    const call = pending.get(key);
    const finishedAt = new Date();
    await o.history.recordToolCall({
      executionUid: grant.uid, iteration: grant.iteration, seq, toolName: call?.name ?? "(unknown)", arguments: call?.arguments ?? null,
      decision: "allow", policyRevision: call?.policyRevision ?? null, resultSummary: asText(result.content), error: result.ok ? null : (asText(result.error) ?? "failed"), durationMs: Math.round(result.durationMs),
      startedAt: call?.startedAt ?? new Date(finishedAt.getTime() - result.durationMs), finishedAt,
    });
    pending.delete(key);
    send(res, 204);
  }

  async function output(grant: ExecutionGrant, body: unknown, res: ServerResponse): Promise<void> {
    const out = parse(OutputBody, body);
    await o.history.appendEvent({
      id: eventId(grant.uid, grant.iteration, "IterationOutput"), executionUid: grant.uid, namespace: grant.namespace, name: grant.execution,
      iteration: grant.iteration, type: "IterationOutput", payload: { output: out.output, ...(out.exitCode === undefined ? {} : { exitCode: out.exitCode }) },
      occurredAt: new Date(),
    });
    send(res, 204);
  }

  /** POST /v1/seal/attest: no bearer token, the pod's service-account token proves who it is. */
  async function attestation(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seal = o.seal;
    if (seal === undefined) throw new HttpError(404, `no route ${req.method ?? ""} ${ATTEST_PATH}`);
    if (req.method !== "POST") throw new HttpError(405, `${ATTEST_PATH} takes POST`);
    const result = await seal.attest(await jsonBody(req));
    if (result.ok) {
      send(res, 200, { token: result.token, expiresAt: result.expiresAt });
      return;
    }
    // A restarted operator re-learns running iterations as it reconciles: their pods wait.
    if (result.code === "UnknownWorkload" && performance.now() < warmupEnds) {
      res.setHeader("retry-after", "1");
      throw new HttpError(503, "the gateway is starting and does not know this pod yet; retry");
    }
    o.log.warn({ code: result.code, reason: result.message }, "refused a SEAL attestation");
    throw new SealRefusal(result);
  }

  /** The envelope's payload once SEAL verified it; a refusal is logged and recorded in history first. */
  async function sealed(req: IncomingMessage, path: string, grant: ExecutionGrant): Promise<unknown> {
    const seal = o.seal!;
    const route = `POST ${path}`;
    const body = await rawBody(req, seal.maxBytes);
    const verified = body === undefined
      ? { ok: false as const, code: "PayloadTooLarge" as const, message: `envelope over ${seal.maxBytes} bytes` }
      : seal.verify(body, route, grant);
    if (verified.ok) return verified.payload;
    if (path === "/v1/tool-calls") metrics.toolCalls.inc({ decision: "deny" });
    o.log.warn({ execution: grant.execution, namespace: grant.namespace, iteration: grant.iteration, route, code: verified.code, reason: verified.message }, "refused a SEAL envelope");
    try {
      await o.history.appendEvent({
        id: eventId(grant.uid, grant.iteration, `SealRejected/${randomUUID()}`), executionUid: grant.uid, namespace: grant.namespace, name: grant.execution,
        iteration: grant.iteration, type: "SealRejected", payload: { route, code: verified.code, message: verified.message }, occurredAt: new Date(),
      });
    } catch (error) {
      o.log.warn({ err: error }, "could not record a SEAL refusal");
    }
    throw new SealRefusal(verified);
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, name: string): Promise<void> {
    const resultMatch = RESULT_PATH.exec(path);
    if (name === "other") throw new HttpError(404, `no route ${req.method ?? ""} ${path}`);
    if (name === ATTEST_PATH) return attestation(req, res);
    if (name === TRANSCRIPT_ROUTE && o.transcripts !== undefined) return serveTranscript(o.transcripts, o.history, o.log, req, res);
    if (name === TRANSCRIPT_ROUTE) throw new HttpError(404, `no route ${req.method ?? ""} ${path}`);
    const expected = name === "/v1/iteration" ? "GET" : "POST";
    if (req.method !== expected) throw new HttpError(405, `${name} takes ${expected}`);
    const found = o.credentials.lookup(bearer(req));
    if (found.status === 401 && bearer(req) !== undefined && performance.now() < warmupEnds) {
      res.setHeader("retry-after", "1");
      throw new HttpError(503, "the gateway is starting and does not know this token yet; retry");
    }
    if (found.status === 401) throw new HttpError(401, "unknown or missing execution token");
    if (found.status !== 200) throw new HttpError(403, "the execution of this token has finished");
    const grant = found.grant;
    trace.getActiveSpan()?.setAttributes(executionAttributes(grant));
    if (name === "/v1/iteration") {
      send(res, 200, { execution: grant.execution, namespace: grant.namespace, iteration: grant.iteration, model: grant.model, ...grant.payload, tools: await iterationTools(grant) });
      return;
    }
    const body = o.seal !== undefined && name !== "/v1/chat/completions" ? await sealed(req, path, grant) : await jsonBody(req);
    if (name === "/v1/chat/completions") await chat(grant, body, res);
    else if (name === "/v1/tool-calls") await toolCall(grant, body, res);
    else if (name === "/v1/output") await output(grant, body, res);
    else await toolResult(grant, Number(resultMatch?.[1]), body, res);
  }

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const routeName = routeOf(path);
    // A SERVER span per request, continuing the caller's traceparent (docs/tracing.md).
    traceRequest(tracerFor(SERVICE.gateway), req, res, routeName, () => route(req, res, path, routeName))
      .catch((error: unknown) => {
        if (error instanceof SealRefusal) {
          if (!res.headersSent) send(res, httpStatus(error.failure.code), { code: error.failure.code, message: error.failure.message });
          else res.end();
          return;
        }
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof HttpError ? error.message : "internal error";
        if (!(error instanceof HttpError)) o.log.error({ err: error }, "gateway request failed");
        else if (status >= 500) o.log.warn({ status, message }, "gateway request failed");
        if (!res.headersSent) send(res, status, openaiError(status, message));
        else res.end();
      })
      .finally(() => {
        metrics.requestSeconds.observe({ route: routeName, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    metrics,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
