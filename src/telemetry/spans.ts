/**
 * The span helpers the services share: a span around an async step, the traceparent header of
 * the active span for an outgoing request, and a server span per incoming request continuing
 * the caller's trace. Spans carry names, ids and counts only: never tokens, keys, prompts,
 * model output or tool arguments, and an error is recorded by its type, not its message.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";

/** Attribute names of the execution a span belongs to. */
export const ATTR = {
  namespace: "aegis.namespace",
  execution: "aegis.execution",
  iteration: "aegis.iteration",
  agent: "aegis.agent",
} as const;

export { SpanKind };

/** The execution attributes of a span. */
export function executionAttributes(e: { namespace: string; execution: string; iteration: number }): Attributes {
  return { [ATTR.namespace]: e.namespace, [ATTR.execution]: e.execution, [ATTR.iteration]: e.iteration };
}

/** Pure: what an error is, without its message (messages may echo request bodies). */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Za-z][\w.-]{0,63}$/.test(code)) return code;
  return error instanceof Error ? error.name : typeof error;
}

/** Marks a span failed with the error's type. */
export function failSpan(span: Span, error: unknown): void {
  span.setAttribute("error.type", errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Runs `fn` inside a new active span, ended when it settles (failed when it throws). */
export function inSpan<T>(tracer: Tracer, name: string, options: { kind?: SpanKind; attributes?: Attributes }, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace headers (traceparent, tracestate) of the active span; none when tracing is off. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * A SERVER span `<METHOD> <route>` for one request, child of the caller's traceparent, active
 * while `handle` runs and ended when the response closes (with its status code).
 */
export function traceRequest(tracer: Tracer, req: IncomingMessage, res: ServerResponse, route: string, handle: () => Promise<void>): Promise<void> {
  const method = req.method ?? "GET";
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route } }, parent);
  res.once("close", () => {
    span.setAttribute("http.response.status_code", res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handle);
}

/**
 * A span over a streamed answer: active while `open` runs (so its request carries the
 * traceparent), ended when the stream is read to its end or breaks, or when `open` fails.
 */
export async function inStreamSpan<T>(tracer: Tracer, name: string, options: { kind?: SpanKind; attributes?: Attributes }, open: () => Promise<AsyncIterable<T>>): Promise<AsyncIterable<T>> {
  const span = tracer.startSpan(name, options);
  let items: AsyncIterable<T>;
  try {
    items = await context.with(trace.setSpan(context.active(), span), open);
  } catch (error) {
    failSpan(span, error);
    span.end();
    throw error;
  }
  return (async function* () {
    try {
      yield* items;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  })();
}
