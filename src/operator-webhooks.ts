/**
 * The admission webhooks in the operator program: served on --webhook-addr by every replica
 * (not only the leader: the API server calls whichever answers). With --webhook-url (a local
 * cluster whose API server reaches the operator on the host), the operator also applies our
 * webhook configurations with clientConfig.url at that base; then the caBundle is injected.
 * Agents are also held to the Cedar admission policies of their namespace (labelled ConfigMaps,
 * src/policy/configmaps.ts). Wiring only.
 */
import type { Logger } from "pino";
import { MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from "../webhooks/configurations.ts";
import { renderWebhookConfigurations, startWebhooks, type AdmissionPolicies, type Webhooks } from "../webhooks/index.ts";
import type { OperatorConfig } from "./config/schema.ts";
import { CONFIGMAPS } from "./kube/resources.ts";
import type { KubeClient, KubeObject } from "./kube/types.ts";
import { createConfigMapPolicies } from "./policy/configmaps.ts";
import type { InformerFactory } from "./runtime/informer-factory.ts";

/** The field manager of the url-based configurations the operator applies (local clusters). */
export const WEBHOOK_CONFIGURATION_FIELD_MANAGER = "aegis-operator";

export interface WebhooksInput {
  readonly config: Pick<OperatorConfig, "namespace" | "webhookAddr" | "webhookUrl">;
  readonly client: KubeClient;
  readonly log: Logger;
  readonly informers: Pick<InformerFactory, "informer">;
  /**
   * The Cedar policies each namespace is held to at admission: the gateway's, when this replica
   * runs one (the same stores decide tool calls and admission); else read here from the shared
   * ConfigMap informer.
   */
  readonly policies?: AdmissionPolicies;
}

/** Starts the webhook server when --webhook-addr is set; undefined otherwise. */
export async function startOperatorWebhooks({ config, client, log, informers, policies }: WebhooksInput): Promise<Webhooks | undefined> {
  if (config.webhookAddr === undefined) return undefined;
  const own = policies === undefined
    ? createConfigMapPolicies({ configMaps: informers.informer(CONFIGMAPS), operatorNamespace: config.namespace, log: log.child({ component: "policy" }) })
    : undefined;
  let started: Webhooks;
  try {
    started = await startWebhooks({
      client,
      namespace: config.namespace,
      host: config.webhookAddr.host === "" ? "0.0.0.0" : config.webhookAddr.host,
      port: config.webhookAddr.port,
      log: log.child({ component: "webhooks" }),
      policies: policies ?? own!,
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
