/**
 * The operator's configuration: ONE zod schema over raw strings (from flags or environment),
 * every field documented here. Parsed once at startup by load.ts into a frozen OperatorConfig.
 */
import { z } from "zod";

/** Go-style durations ("15s", "500ms", "2m", "1h"); a bare number is seconds. Result: ms. */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const duration = z.string().trim().transform((text, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a duration like 15s, 500ms or 2m` });
    return z.NEVER;
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? "s"]!;
  if (ms <= 0) {
    ctx.addIssue({ code: "custom", message: "must be longer than zero" });
    return z.NEVER;
  }
  return ms;
});

export interface Address {
  /** "" means every interface. */
  readonly host: string;
  /** 0 lets the system pick a free port (logged once bound). */
  readonly port: number;
}

/** host:port, ":port" or "[ipv6]:port". */
const address = z.string().trim().transform((text, ctx): Address => {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not host:port (e.g. :8080 or 127.0.0.1:0)` });
    return z.NEVER;
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
});

const boolean = z.string().trim().toLowerCase().transform((text, ctx) => {
  if (["true", "1", "yes"].includes(text)) return true;
  if (["false", "0", "no"].includes(text)) return false;
  ctx.addIssue({ code: "custom", message: `"${text}" is not true or false` });
  return z.NEVER;
});

/** A DNS-1123 subdomain: what namespaces, lease names and identities must be. */
const dnsName = z.string().trim().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "must be lower-case letters, digits, '-' and '.' (a DNS-1123 name)");

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** A jitter of up to 1.2 × retryPeriod must still fit within renewDeadline (client-go's check). */
const JITTER_FACTOR = 1.2;

export const configSchema = z
  .object({
    /** Path of a kubeconfig; unset: in-cluster, else the default loading rules (~/.kube/config). */
    kubeconfig: z.string().trim().min(1).optional(),
    /** The operator's own namespace: where its leader-election Lease lives. */
    namespace: dnsName.default("aegis-system"),
    /** Run controllers only while holding the Lease (turn off only for a single local replica). */
    leaderElect: boolean.default(true),
    /** Name of the leader-election Lease. */
    leaseName: dnsName.default("aegis-operator-leader"),
    /** How long a Lease holds after its last renewal before a standby may take it. */
    leaseDurationMs: duration.default(15_000),
    /** How long the leader keeps failing to renew before it gives up leading (and exits). */
    renewDeadlineMs: duration.default(10_000),
    /** How often candidates try to acquire and the leader renews. */
    retryPeriodMs: duration.default(2_000),
    /** Where /metrics is served. */
    metricsAddr: address.prefault(":8080"),
    /** Where /healthz and /readyz are served. */
    healthAddr: address.prefault(":8081"),
    /** Concurrent reconciles per controller (a controller's own `workers` wins). */
    workers: z.coerce.number().int("must be a whole number").min(1).max(256).default(2),
    logLevel: z.enum(LOG_LEVELS).default("info"),
    /** This replica's name in the Lease: the pod name in a cluster, else hostname_pid. */
    identity: z.string().trim().min(1).max(128),
    /**
     * The operator's own Pod (POD_NAME from the downward API). The leader labels it
     * aegis.dev/gateway=serving, which the aegis-gateway Service selects: grants live in the
     * leader's memory. Unset (local runs, tests): no Pod is labelled.
     */
    podName: dnsName.optional(),
    /** The namespace of that Pod (POD_NAMESPACE); unset: --namespace. */
    podNamespace: dnsName.optional(),
    /** Names of the controllers to run, comma-separated; unset: all of them. */
    controllers: z
      .string()
      .transform((text) => text.split(",").map((n) => n.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z0-9-]+$/, "controller names are lower-case words")).min(1, "name at least one controller"))
      .optional(),
    /**
     * The runtime registry ConfigMap ("namespace/name") mapping language+version to images;
     * unset: aegis-runtime-registry in the operator's namespace.
     */
    runtimeRegistry: z
      .string()
      .trim()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be namespace/name, e.g. aegis-system/aegis-runtime-registry")
      .transform((text) => {
        const [namespace, name] = text.split("/") as [string, string];
        return { namespace, name };
      })
      .optional(),
    /**
     * Namespaces whose objects the controllers reconcile, comma-separated; unset: every namespace.
     * Cluster-scoped kinds (NodeConfig) are always reconciled.
     */
    watchNamespaces: z
      .string()
      .transform((text) => text.split(",").map((n) => n.trim()).filter(Boolean))
      .pipe(z.array(dnsName).min(1, "name at least one namespace"))
      .optional(),
    /**
     * PostgreSQL connection string of the history store (DATABASE_URL). Unset: an embedded
     * PostgreSQL under `home`. Never logged: it may carry a password.
     */
    databaseUrl: z.string().trim().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL").optional(),
    /** AEGIS_HOME: the operator's local state (the embedded PostgreSQL). Default ~/.aegis. */
    home: z.string().trim().min(1).optional(),
    /** Where the model gateway (the agent pods' API) is served. */
    gatewayAddr: address.prefault(":8082"),
    /**
     * The gateway URL given to agent pods. Unset: http://<gateway host or 127.0.0.1>:<bound port>,
     * right for the local node; in a cluster, the gateway Service, e.g. http://aegis-gateway.aegis-system.svc:8082.
     */
    gatewayUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    /**
     * The agent pods' command, space-separated, instead of their image's entrypoint (the local
     * node runs the agent runtime as `node <repo>/src/agent-runtime/main.ts`).
     */
    agentCommand: z.string().trim().min(1).transform((text) => text.split(/\s+/)).optional(),
    /**
     * Where the admission webhooks are served over HTTPS (e.g. :9443 in a cluster, behind the
     * aegis-webhooks Service). Unset: no webhook server. Every replica serves them, not only the leader.
     */
    webhookAddr: address.optional(),
    /**
     * The base URL the API server calls the webhooks at, when it cannot use the Service (a local
     * cluster reaching the operator on the host, e.g. https://127.0.0.1:9443). Set: the operator
     * applies our webhook configurations with clientConfig.url at this base. Needs webhookAddr.
     */
    webhookUrl: z.url({ protocol: /^https$/, error: "must be an https URL" }).optional(),
    /**
     * Test only: run the reconcile-log controller, which appends each reconcile of a ConfigMap
     * labelled aegis.dev/reconcile-log to <dir>/<namespace>_<name>.log (failover tests).
     */
    reconcileLogDir: z.string().trim().min(1).optional(),
  })
  .superRefine(
    (c, ctx) => {
      // Runs even when other fields failed (every problem at once), so check what parsed.
      const ok = (...ms: unknown[]): boolean => ms.every((v) => typeof v === "number");
      if (ok(c.renewDeadlineMs, c.leaseDurationMs) && c.renewDeadlineMs >= c.leaseDurationMs) {
        ctx.addIssue({ code: "custom", path: ["renewDeadlineMs"], message: "must be shorter than the lease duration" });
      }
      if (ok(c.retryPeriodMs, c.renewDeadlineMs) && c.retryPeriodMs * JITTER_FACTOR >= c.renewDeadlineMs) {
        ctx.addIssue({ code: "custom", path: ["retryPeriodMs"], message: `must be shorter than the renew deadline / ${JITTER_FACTOR} (jitter)` });
      }
      if (c.webhookUrl !== undefined && c.webhookAddr === undefined) {
        ctx.addIssue({ code: "custom", path: ["webhookUrl"], message: "needs --webhook-addr: the URL must reach a webhook server this operator serves" });
      }
    },
    { when: () => true },
  );

export type OperatorConfig = Readonly<z.infer<typeof configSchema>>;
export type RawConfig = Partial<Record<keyof z.input<typeof configSchema>, string>>;
