/**
 * startWebhooks: the webhook server in the operator's process. Ensures the certificates Secret,
 * serves HTTPS, injects the CA bundle into our webhook configurations, and re-checks the Secret
 * every refresh interval (rotating when due, or picking up another replica's rotation).
 */
import type { Logger } from "pino";
import type { KubeClient } from "../src/kube/types.ts";
import { injectCaBundle } from "./certs/inject.ts";
import { ensureCertificates, type StoreOptions } from "./certs/store.ts";
import { DEFAULT_CONFIGURATION_NAMES, SERVICE, type ConfigurationNames } from "./configurations.ts";
import type { AdmissionLookup, AdmissionPolicies } from "./kinds/kind.ts";
import type { PolicyConfigMapContext } from "./policy-configmap.ts";
import type { WebhookMetrics } from "./metrics.ts";
import { listenWebhooks } from "./server.ts";

const DAY_MS = 86_400_000;

export interface WebhookOptions {
  readonly client: KubeClient;
  /** The operator's namespace: where the certificates Secret lives (and the Service, for the SANs). */
  readonly namespace: string;
  /** Default aegis-webhooks-tls. */
  readonly secretName?: string;
  /** Default 9443; 0 picks a free port (tests). */
  readonly port?: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** Names in the serving certificate. Default: the aegis-webhooks Service's DNS names, localhost and 127.0.0.1. */
  readonly hosts?: readonly string[];
  /** The configurations that get the CA bundle. Default aegis-validating-webhooks, aegis-mutating-webhooks. */
  readonly configurations?: ConfigurationNames;
  /** Certificate lifetime; rotation starts with a third left. Default 90 days. */
  readonly validityMs?: number;
  /** How often the Secret is re-checked. Default 1 hour. */
  readonly refreshIntervalMs?: number;
  readonly now?: () => Date;
  readonly log?: Pick<Logger, "info" | "warn" | "error">;
  /**
   * The Cedar policies each namespace is held to at admission (a PolicyStore per namespace fits);
   * absent, no Cedar check (the schema and controller checks still run).
   */
  readonly policies?: AdmissionPolicies;
  /** What the Cedar checks look up: the runtime registry, parent Executions, Swarms (informer caches fit). */
  readonly lookup?: AdmissionLookup;
  /** The ConfigMaps a policy ConfigMap is checked with (its namespace's set); absent, each alone. */
  readonly policyConfigMaps?: PolicyConfigMapContext;
  /** Admission latency (docs/metrics.md); absent, not measured. */
  readonly metrics?: WebhookMetrics;
}

export interface Webhooks {
  readonly port: number;
  /** The CA bundle (PEM) the configurations trust now. */
  caBundle(): string;
  /** Re-reads the Secret, rotates when due, and serves and injects what it holds. */
  refresh(): Promise<void>;
  /** Rotates now, whatever the certificates' age. */
  rotate(): Promise<void>;
  stop(): Promise<void>;
}

export const serviceHosts = (namespace: string): string[] => {
  const base = `${SERVICE.name}.${namespace}`;
  return [`${base}.svc`, SERVICE.name, base, `${base}.svc.cluster.local`];
};

export async function startWebhooks(options: WebhookOptions): Promise<Webhooks> {
  const store: StoreOptions = {
    client: options.client,
    namespace: options.namespace,
    name: options.secretName ?? "aegis-webhooks-tls",
    hosts: options.hosts ?? [...serviceHosts(options.namespace), "localhost", "127.0.0.1"],
    validityMs: options.validityMs ?? 90 * DAY_MS,
    now: options.now ?? (() => new Date()),
  };
  const names = options.configurations ?? DEFAULT_CONFIGURATION_NAMES;
  const log = options.log;

  let current = (await ensureCertificates(store)).certificates;
  const server = await listenWebhooks({ host: options.host ?? "0.0.0.0", port: options.port ?? 9443, cert: current.tlsCert, key: current.tlsKey, log,
    ...(options.policies !== undefined ? { policies: options.policies } : {}),
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    ...(options.policyConfigMaps !== undefined ? { policyConfigMaps: options.policyConfigMaps } : {}),
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  });

  const inject = async (bundle: string) => {
    const missing = await injectCaBundle(options.client, names, bundle);
    if (missing.length > 0) log?.warn({ missing }, "Webhook configurations not found; their caBundle is injected on the next refresh");
  };

  // The bundle first, then the certificate: the API server trusts the new CA before it sees it.
  const apply = async (force: boolean) => {
    const { certificates, decision } = await ensureCertificates(store, force);
    if (decision.action !== "keep") log?.info({ decision }, "Webhook certificates issued");
    await inject(certificates.caBundle);
    if (certificates.tlsCert !== current.tlsCert) server.setCertificates(certificates.tlsCert, certificates.tlsKey);
    current = certificates;
  };

  try {
    await inject(current.caBundle);
  } catch (err) {
    await server.close();
    throw err;
  }

  // One refresh at a time: a timer tick and a rotate() must not interleave.
  let chain = Promise.resolve();
  const serial = (force: boolean) => {
    const next = chain.then(() => apply(force));
    chain = next.catch(() => undefined);
    return next;
  };
  const timer = setInterval(() => {
    serial(false).catch((err: unknown) => log?.error({ err }, "Refreshing the webhook certificates failed; retrying next interval"));
  }, options.refreshIntervalMs ?? 3_600_000);
  timer.unref();

  log?.info({ port: server.port, secret: `${store.namespace}/${store.name}` }, "Serving admission webhooks");
  return {
    port: server.port,
    caBundle: () => current.caBundle,
    refresh: () => serial(false),
    rotate: () => serial(true),
    stop: async () => {
      clearInterval(timer);
      await chain;
      await server.close();
    },
  };
}
