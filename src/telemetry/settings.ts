/**
 * Pure: whether tracing is on, from the standard OpenTelemetry variables, and what of them a
 * child workload (an iteration pod) is given. Tracing is on only when an OTLP endpoint is set
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and neither
 * OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none says otherwise.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** The services spans are exported as (docs/tracing.md). */
export const SERVICE = {
  operator: "aegis-operator",
  gateway: "aegis-gateway",
  runtime: "aegis-agent-runtime",
  model: "scripted-model",
} as const;

/** The exporter's endpoint variables: what a child needs to export to the same collector. */
export const ENDPOINT_VARS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] as const;

export interface TracingSettings {
  /** Where spans are POSTed (OTLP/HTTP, JSON): the traces endpoint as given, else the endpoint + /v1/traces. */
  readonly url: string;
  /** OTEL_BSP_SCHEDULE_DELAY (ms between batch exports); undefined: the SDK's 5 s. */
  readonly scheduleDelayMs: number | undefined;
}

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

/** The settings when tracing is on, else undefined (a no-op everywhere). */
export function tracingSettings(env: Env): TracingSettings | undefined {
  if (env["OTEL_SDK_DISABLED"]?.trim().toLowerCase() === "true") return undefined;
  if (env["OTEL_TRACES_EXPORTER"]?.trim().toLowerCase() === "none") return undefined;
  if (!ENDPOINT_VARS.some((name) => set(env[name]))) return undefined;
  const specific = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
  const url = set(specific) ? specific.trim() : `${env["OTEL_EXPORTER_OTLP_ENDPOINT"]!.trim().replace(/\/+$/, "")}/v1/traces`;
  const delay = Number(env["OTEL_BSP_SCHEDULE_DELAY"]);
  return { url, scheduleDelayMs: set(env["OTEL_BSP_SCHEDULE_DELAY"]) && Number.isInteger(delay) && delay >= 0 ? delay : undefined };
}

/**
 * The variables a child service is started with: the endpoint variables that are set, and its
 * own OTEL_SERVICE_NAME. Never OTEL_EXPORTER_OTLP_HEADERS: those may carry the collector's
 * credentials, which a pod running agent code must not see.
 */
export function childTracingEnv(env: Env, serviceName: string): Record<string, string> {
  const endpoints = ENDPOINT_VARS.filter((name) => set(env[name])).map((name) => [name, env[name]!.trim()] as const);
  return { ...Object.fromEntries(endpoints), OTEL_SERVICE_NAME: serviceName };
}
