// OpenTelemetry tracing across operator → agent runtime → gateway → model provider (docs/tracing.md).
export { ENDPOINT_VARS, SERVICE, childTracingEnv, tracingSettings, type TracingSettings } from "./settings.ts";
export { childTraceEnv, contextFromEnv, startTracing, tracerFor, type Tracing, type TracingOptions } from "./tracing.ts";
export { ATTR, SpanKind, errorType, executionAttributes, failSpan, inSpan, inStreamSpan, traceHeaders, traceRequest } from "./spans.ts";
