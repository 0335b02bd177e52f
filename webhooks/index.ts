// The admission webhooks' public surface: start the server in-process, render the configurations.
export { startWebhooks, serviceHosts, type WebhookOptions, type Webhooks } from "./start.ts";
export {
  DEFAULT_CONFIGURATION_NAMES, renderWebhookConfigurations, webhookName, webhookPath, type ConfigurationNames, type RenderOptions,
} from "./configurations.ts";
export { admit, routeOf, type AdmitOptions } from "./admission.ts";
export type { AdmissionPolicies, PolicyDecider } from "./kinds/kind.ts";
