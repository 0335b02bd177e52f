/**
 * Tracing for one process: started by a program's main when an OTLP endpoint is set
 * (settings.ts), a no-op otherwise. Spans are batched and sent as OTLP/HTTP JSON; W3C trace
 * context (traceparent) is the propagation format; AsyncLocalStorage carries the active span.
 * A process may export as several services (the operator also serves the gateway): each gets a
 * TracerProvider with its own resource, `tracerFor(service)` picks it. The SDK is loaded only
 * when tracing is on: a process without it pays for the API alone.
 */
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Tracer } from "@opentelemetry/api";
import type { TracerProvider } from "@opentelemetry/sdk-trace";
import { childTracingEnv, tracingSettings, type Env, type TracingSettings } from "./settings.ts";

export interface Tracing {
  readonly enabled: boolean;
  /** Exports what is buffered and stops; bounded (an unreachable collector never holds an exit up). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Further services this process exports spans as (their own service.name, OTEL_SERVICE_NAME aside). */
  readonly also?: readonly string[];
  readonly env?: Env;
  /** Longest wait for the last export at shutdown (default 5 s). */
  readonly shutdownTimeoutMs?: number;
}

interface Active {
  readonly providers: ReadonlyMap<string, TracerProvider>;
  readonly env: Env;
}

let active: Active | undefined;

const disabled: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

/** The SDK's modules, loaded on first use. */
async function sdk() {
  const [hooks, core, exporter, resources, traces] = await Promise.all([
    import("@opentelemetry/context-async-hooks"), import("@opentelemetry/core"), import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"), import("@opentelemetry/sdk-trace"),
  ]);
  return { ...hooks, ...core, ...exporter, ...resources, ...traces };
}

function provider(m: Awaited<ReturnType<typeof sdk>>, settings: TracingSettings, serviceName: string, primary: boolean): TracerProvider {
  const named = m.resourceFromAttributes({ "service.name": serviceName });
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES apply; the primary service's name yields to them.
  const fromEnv = m.detectResources({ detectors: [m.envDetector] });
  const resource = m.defaultResource().merge(primary ? named.merge(fromEnv) : fromEnv.merge(named));
  const exporter = new m.OTLPTraceExporter({ url: settings.url });
  const delay = settings.scheduleDelayMs === undefined ? {} : { scheduledDelayMillis: settings.scheduleDelayMs };
  return new m.TracerProvider({ resource, spanProcessors: [new m.BatchSpanProcessor({ exporter, ...delay })] });
}

/** Starts tracing as `serviceName` when the environment asks for it; once per process. */
export async function startTracing(serviceName: string, options: TracingOptions = {}): Promise<Tracing> {
  const env = options.env ?? process.env;
  const settings = tracingSettings(env);
  if (settings === undefined || active !== undefined) return disabled;
  const m = await sdk();
  const providers = new Map([serviceName, ...(options.also ?? [])].map((name, i) => [name, provider(m, settings, name, i === 0)] as const));
  trace.setGlobalTracerProvider(providers.get(serviceName)!);
  context.setGlobalContextManager(new m.AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new m.W3CTraceContextPropagator());
  active = { providers, env };
  const timeoutMs = options.shutdownTimeoutMs ?? 5_000;
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown() {
      stopped ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs).unref();
        void Promise.allSettled([...providers.values()].map((p) => p.shutdown())).then(() => (clearTimeout(timer), resolve()));
      }).finally(() => {
        active = undefined;
        trace.disable();
        context.disable();
        propagation.disable();
      });
      return stopped;
    },
  };
}

/** The tracer of one service: its own provider when this process exports as it, else the global one (a no-op unless started). */
export function tracerFor(service: string): Tracer {
  return active?.providers.get(service)?.getTracer(service) ?? trace.getTracer(service);
}

/** The context a child was handed in TRACEPARENT / TRACESTATE (the OTel environment carrier); the root context without them. */
export function contextFromEnv(env: Env): Context {
  const carrier: Record<string, string> = {};
  if (env["TRACEPARENT"]) carrier["traceparent"] = env["TRACEPARENT"];
  if (env["TRACESTATE"]) carrier["tracestate"] = env["TRACESTATE"];
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * The variables an iteration pod is given while tracing is on: the collector endpoint, its
 * service name and TRACEPARENT (TRACESTATE) of the active span, so its spans join this trace.
 * Empty when tracing is off.
 */
export function childTraceEnv(serviceName: string): { name: string; value: string }[] {
  if (active === undefined) return [];
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const vars = { ...childTracingEnv(active.env, serviceName), ...(carrier["traceparent"] ? { TRACEPARENT: carrier["traceparent"] } : {}), ...(carrier["tracestate"] ? { TRACESTATE: carrier["tracestate"] } : {}) };
  return Object.entries(vars).map(([name, value]) => ({ name, value }));
}
