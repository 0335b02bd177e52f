// The agent runtime's configuration: the iteration pod's environment (docs/design/execution-loop.md),
// read once with zod. Every problem is reported at once; main exits 2 on any.
import { join } from "node:path";
import { z } from "zod";

const positiveInt = (fallback: number) =>
  z.string().trim().regex(/^\d+$/, "must be a positive integer").transform(Number).pipe(z.number().int().min(1)).default(fallback);

const schema = z.object({
  /** Base URL of the gateway, e.g. http://127.0.0.1:8080. */
  AEGIS_GATEWAY_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  /** The per-execution bearer token. Never logged. */
  AEGIS_EXECUTION_TOKEN: z.string().min(1, "must not be empty"),
  /** Execution name, namespace and iteration number: for logs only (the token identifies the call). */
  AEGIS_EXECUTION: z.string().min(1, "must not be empty"),
  AEGIS_NAMESPACE: z.string().min(1, "must not be empty"),
  AEGIS_ITERATION: z.string().trim().regex(/^\d+$/, "must be a non-negative integer").transform(Number),
  /** The workspace directory the builtin tools are confined to. */
  AEGIS_WORKSPACE: z.string().min(1).refine((p) => p.startsWith("/"), "must be an absolute path").default("/workspace"),
  /** Most model turns that call tools before the loop stops (exit 3). */
  AEGIS_MAX_TOOL_ROUNDS: positiveInt(50),
  /** Seconds the whole iteration may take before everything in flight is aborted (exit 124). */
  AEGIS_ITERATION_TIMEOUT: positiveInt(3600),
  /** Seconds a call keeps retrying while the gateway is unreachable or answers 503 (an operator restart). */
  AEGIS_GATEWAY_RETRY_WINDOW: positiveInt(60),
  /** Set by the local node: the directory standing in for `/` (its mount paths are links there). */
  AEGIS_POD_ROOT: z.string().refine((p) => p.startsWith("/"), "must be an absolute path").optional(),
  /** SEAL: the projected service-account token the pod attests with; unset: no SEAL (plain bodies). */
  AEGIS_SA_TOKEN_FILE: z.string().refine((p) => p.startsWith("/"), "must be an absolute path").optional(),
  /** pino level of the JSON logs on stderr. */
  AEGIS_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
});

export interface RuntimeConfig {
  readonly gatewayUrl: string;
  readonly token: string;
  readonly execution: string;
  readonly namespace: string;
  readonly iteration: number;
  readonly workspace: string;
  readonly maxToolRounds: number;
  readonly iterationTimeoutMs: number;
  readonly gatewayRetryWindowMs: number;
  readonly logLevel: string;
  /** SEAL's service-account token file (under the pod root on the local node), when set. */
  readonly saTokenFile?: string;
}

export type ConfigResult = { ok: true; config: RuntimeConfig } | { ok: false; problems: string[] };

/** Pure: the config from an environment, or every problem found (one line per variable). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  // Empty values count as unset, so a default applies and a required one is reported missing.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.code === "invalid_type" ? "is required" : i.message}`) };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: Object.freeze({
      gatewayUrl: e.AEGIS_GATEWAY_URL.replace(/\/+$/, ""),
      token: e.AEGIS_EXECUTION_TOKEN,
      execution: e.AEGIS_EXECUTION,
      namespace: e.AEGIS_NAMESPACE,
      iteration: e.AEGIS_ITERATION,
      // On the local node a process sees /workspace only under its pod root.
      workspace: e.AEGIS_POD_ROOT === undefined ? e.AEGIS_WORKSPACE : join(e.AEGIS_POD_ROOT, e.AEGIS_WORKSPACE),
      maxToolRounds: e.AEGIS_MAX_TOOL_ROUNDS,
      iterationTimeoutMs: e.AEGIS_ITERATION_TIMEOUT * 1000,
      gatewayRetryWindowMs: e.AEGIS_GATEWAY_RETRY_WINDOW * 1000,
      logLevel: e.AEGIS_LOG_LEVEL,
      ...(e.AEGIS_SA_TOKEN_FILE === undefined ? {} : { saTokenFile: e.AEGIS_POD_ROOT === undefined ? e.AEGIS_SA_TOKEN_FILE : join(e.AEGIS_POD_ROOT, e.AEGIS_SA_TOKEN_FILE) }),
    }),
  };
}
