/**
 * The admission webhooks in the operator program: served on --webhook-addr by every replica
 * (not only the leader: the API server calls whichever answers). With --webhook-url (a local
 * cluster whose API server reaches the operator on the host), the operator also applies our
 * webhook configurations with clientConfig.url at that base; then the caBundle is injected.
 * Agents, spawned Executions and Swarms are also held to the Cedar admission policies of their
 * namespace (labelled ConfigMaps, src/policy/configmaps.ts), and policy ConfigMaps are checked
 * against the schema before they are stored. Wiring only.
 */
import type { Logger } from "pino";
import type { WebhookMetrics } from "../webhooks/metrics.ts";
import { MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from "../webhooks/configurations.ts";
import { renderWebhookConfigurations, startWebhooks, type AdmissionPolicies, type Webhooks } from "../webhooks/index.ts";
import type { OperatorConfig } from "./config/schema.ts";
import { cacheLookup } from "../webhooks/lookup.ts";
import { CONFIGMAPS, EXECUTIONS, SWARMS } from "./kube/resources.ts";
import type { KubeClient, KubeObject } from "./kube/types.ts";
import { createConfigMapPolicies } from "./policy/configmaps.ts";
import type { InformerFactory } from "./runtime/informer-factory.ts";

/** The field manager of the url-based configurations the operator applies (local clusters). */
export const WEBHOOK_CONFIGURATION_FIELD_MANAGER = "aegis-operator";

export interface WebhooksInput {
  readonly config: Pick<OperatorConfig, "namespace" | "webhookAddr" | "webhookUrl" | "runtimeRegistry">;
  readonly client: KubeClient;
  readonly log: Logger;
  readonly informers: Pick<InformerFactory, "informer">;
  /**
   * The Cedar policies each namespace is held to at admission: the gateway's, when this replica
   * runs one (the same stores decide tool calls and admission); else read here from the shared
   * ConfigMap informer.
   */
  readonly policies?: AdmissionPolicies;
  /** Admission latency on the operator's registry (docs/metrics.md). */
  readonly metrics?: WebhookMetrics;
}

/** Starts the webhook server when --webhook-addr is set; undefined otherwise. */
export async function startOperatorWebhooks({ config, client, log, informers, policies, metrics }: WebhooksInput): Promise<Webhooks | undefined> {
  if (config.webhookAddr === undefined) return undefined;
  const configMaps = informers.informer(CONFIGMAPS);
  const own = policies === undefined
    ? createConfigMapPolicies({ configMaps, operatorNamespace: config.namespace, log: log.child({ component: "policy" }) })
    : undefined;
  // The same registry the Agent controller resolves language+version with (src/main.ts).
  const registry = config.runtimeRegistry ?? { namespace: config.namespace, name: "aegis-runtime-registry" };
  const lookup = cacheLookup({ configMaps, executions: informers.informer(EXECUTIONS), swarms: informers.informer(SWARMS), registry });
  let started: Webhooks;
  try {
    started = await startWebhooks({
      client,
      namespace: config.namespace,
      host: config.webhookAddr.host === "" ? "0.0.0.0" : config.webhookAddr.host,
      port: config.webhookAddr.port,
      log: log.child({ component: "webhooks" }),
      policies: policies ?? own!,
      lookup,
      policyConfigMaps: { configMaps: () => configMaps.list(), operatorNamespace: config.namespace },
      ...(metrics !== undefined ? { metrics } : {}),
    });
  } catch (err) {
    own?.stop();
    throw err;
  }
  const webhooks: Webhooks = {
    ...started,
    stop: async () => {
      await started.stop();
      own?.stop();
    },
  };
  if (config.webhookUrl === undefined) return webhooks;
  try {
    const [validating, mutating] = renderWebhookConfigurations({ target: { url: config.webhookUrl } });
    for (const [resource, configuration] of [[VALIDATING_WEBHOOKS, validating], [MUTATING_WEBHOOKS, mutating]] as const) {
      await client.apply(resource, configuration as unknown as KubeObject, { fieldManager: WEBHOOK_CONFIGURATION_FIELD_MANAGER, force: true });
    }
    // The configurations may be new: give them the CA bundle the server's certificate chains to.
    await webhooks.refresh();
  } catch (err) {
    await webhooks.stop();
    throw err;
  }
  log.info({ url: config.webhookUrl }, "Registered the admission webhooks at a URL");
  return webhooks;
}
