/**
 * Reads the configuration once, from command-line flags (which win) and the environment, and
 * validates it with the one schema. Every problem, of the flags and of the values, is reported in
 * one ConfigError. No other code reads process.env or argv.
 */
import { hostname } from "node:os";
import { ConfigError } from "../runtime/errors.ts";
import { configSchema, type OperatorConfig, type RawConfig } from "./schema.ts";

type Key = keyof RawConfig;

/** Each field's flag and environment variables (first set wins). */
export const SOURCES: Readonly<Record<Key, { readonly flag: string; readonly env: readonly string[]; readonly boolean?: true }>> = {
  kubeconfig: { flag: "kubeconfig", env: ["KUBECONFIG"] },
  namespace: { flag: "namespace", env: ["AEGIS_NAMESPACE"] },
  leaderElect: { flag: "leader-elect", env: ["AEGIS_LEADER_ELECT"], boolean: true },
  leaseName: { flag: "lease-name", env: ["AEGIS_LEASE_NAME"] },
  leaseDurationMs: { flag: "lease-duration", env: ["AEGIS_LEASE_DURATION"] },
  renewDeadlineMs: { flag: "renew-deadline", env: ["AEGIS_RENEW_DEADLINE"] },
  retryPeriodMs: { flag: "retry-period", env: ["AEGIS_RETRY_PERIOD"] },
  metricsAddr: { flag: "metrics-addr", env: ["AEGIS_METRICS_ADDR"] },
  healthAddr: { flag: "health-addr", env: ["AEGIS_HEALTH_ADDR"] },
  workers: { flag: "workers", env: ["AEGIS_WORKERS"] },
  logLevel: { flag: "log-level", env: ["AEGIS_LOG_LEVEL"] },
  identity: { flag: "identity", env: ["AEGIS_IDENTITY", "POD_NAME"] },
  podName: { flag: "pod-name", env: ["POD_NAME"] },
  podNamespace: { flag: "pod-namespace", env: ["POD_NAMESPACE"] },
  controllers: { flag: "controllers", env: ["AEGIS_CONTROLLERS"] },
  runtimeRegistry: { flag: "runtime-registry", env: ["AEGIS_RUNTIME_REGISTRY"] },
  reconcileLogDir: { flag: "reconcile-log-dir", env: ["AEGIS_RECONCILE_LOG_DIR"] },
  watchNamespaces: { flag: "watch-namespaces", env: ["AEGIS_WATCH_NAMESPACES"] },
  databaseUrl: { flag: "database-url", env: ["DATABASE_URL"] },
  home: { flag: "home", env: ["AEGIS_HOME"] },
  gatewayAddr: { flag: "gateway-addr", env: ["AEGIS_GATEWAY_ADDR"] },
  gatewayUrl: { flag: "gateway-url", env: ["AEGIS_GATEWAY_URL"] },
  agentCommand: { flag: "agent-command", env: ["AEGIS_AGENT_COMMAND"] },
  webhookAddr: { flag: "webhook-addr", env: ["AEGIS_WEBHOOK_ADDR"] },
  webhookUrl: { flag: "webhook-url", env: ["AEGIS_WEBHOOK_URL"] },
};

const BY_FLAG = new Map(Object.entries(SOURCES).map(([key, s]) => [s.flag, key as Key]));

/** Pure: `--flag value`, `--flag=value`, and bare `--flag` for booleans. */
export function parseFlags(argv: readonly string[]): { values: RawConfig; problems: string[] } {
  const values: RawConfig = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    const key = match ? BY_FLAG.get(match[1]!) : undefined;
    if (!match || !key) {
      problems.push(`${arg}: unknown flag (known: ${[...BY_FLAG.keys()].map((f) => `--${f}`).join(", ")})`);
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (SOURCES[key].boolean && (next === undefined || next.startsWith("--"))) value = "true";
      else if (next === undefined) {
        problems.push(`--${match[1]}: needs a value`);
        continue;
      } else {
        value = next;
        i++;
      }
    }
    values[key] = value;
  }
  return { values, problems };
}

export interface LoadInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The default identity when neither flag nor environment gives one. */
  readonly defaultIdentity?: string;
}

const label = (key: Key): string => [`--${SOURCES[key].flag}`, ...SOURCES[key].env].join(" / ");

/** Pure: the frozen config, or a ConfigError listing every problem. */
export function loadConfig(input: LoadInput): OperatorConfig {
  const { values, problems } = parseFlags(input.argv);
  const raw: RawConfig = {};
  for (const key of Object.keys(SOURCES) as Key[]) {
    const fromEnv = SOURCES[key].env.map((name) => input.env[name]).find((v) => v !== undefined && v !== "");
    const value = values[key] ?? fromEnv;
    if (value !== undefined) raw[key] = value;
  }
  raw.identity ??= input.defaultIdentity ?? `${hostname()}_${process.pid}`;
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as Key | undefined;
      problems.push(key && key in SOURCES ? `${label(key)}: ${issue.message}` : issue.message);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return Object.freeze({ ...parsed.data, metricsAddr: Object.freeze(parsed.data.metricsAddr), healthAddr: Object.freeze(parsed.data.healthAddr), gatewayAddr: Object.freeze(parsed.data.gatewayAddr),
    ...(parsed.data.webhookAddr ? { webhookAddr: Object.freeze(parsed.data.webhookAddr) } : {}) });
}
