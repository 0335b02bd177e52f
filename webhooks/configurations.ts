/**
 * Pure: our ValidatingWebhookConfiguration and MutatingWebhookConfiguration, one webhook per
 * kind, pointing at the in-cluster Service or (local clusters, tests) at a URL base. The
 * manifests in manifests/base/webhooks.yaml are these with the Service target
 * (webhooks/configurations.test.ts keeps them in step).
 */
import { GROUP, KIND_NAMES, RESOURCES, VERSION, type Kind } from "../src/api/index.ts";
import type { Resource } from "../src/kube/types.ts";
import { POLICY_LABEL } from "../src/policy/configmaps.ts";
import type { Mode } from "./admission.ts";
import { DEFAULTING_CONDITION_NAME, DEFAULTING_CONDITIONS } from "./defaulting-conditions.ts";
import { POLICY_CONFIGMAP_PATH } from "./policy-configmap.ts";

export const VALIDATING_WEBHOOKS: Resource = {
  group: "admissionregistration.k8s.io", version: "v1", plural: "validatingwebhookconfigurations", kind: "ValidatingWebhookConfiguration", namespaced: false,
};
export const MUTATING_WEBHOOKS: Resource = {
  group: "admissionregistration.k8s.io", version: "v1", plural: "mutatingwebhookconfigurations", kind: "MutatingWebhookConfiguration", namespaced: false,
};

export interface ConfigurationNames {
  readonly validating: string;
  readonly mutating: string;
}

export const DEFAULT_CONFIGURATION_NAMES: ConfigurationNames = { validating: "aegis-validating-webhooks", mutating: "aegis-mutating-webhooks" };

export const SERVICE = { namespace: "aegis-system", name: "aegis-webhooks", port: 443 } as const;

/** The API server allows at most 30 s; the issue asks for at most 5. */
export const TIMEOUT_SECONDS = 5;

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: readonly string[] }[];
}

/** Everything but kube-system: the control plane's own objects never wait on us. */
export const DEFAULT_NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }],
};

export interface RenderOptions {
  /** `{ url: "https://127.0.0.1:9443" }` or the Service (default). */
  readonly target?: { readonly url: string } | { readonly service: { readonly namespace: string; readonly name: string; readonly port: number } };
  readonly names?: ConfigurationNames;
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  /** PEM; omitted, the operator injects it at start. */
  readonly caBundle?: string;
}

export const webhookName = (mode: Mode, kind: Kind): string => `${RESOURCES[kind].plural}.${mode}.${GROUP}`;

export const webhookPath = (mode: Mode, kind: Kind): string => `/${mode}/${kind.toLowerCase()}`;

/** The validating webhook of policy ConfigMaps (webhooks/policy-configmap.ts). */
export const POLICY_CONFIGMAP_WEBHOOK = `policies.validate.${GROUP}`;

function clientConfigOf(path: string, options: RenderOptions) {
  const target = options.target ?? { service: SERVICE };
  return {
    ...("url" in target ? { url: `${target.url.replace(/\/$/, "")}${path}` } : { service: { ...target.service, path } }),
    ...(options.caBundle !== undefined ? { caBundle: Buffer.from(options.caBundle).toString("base64") } : {}),
  };
}

/**
 * Policy ConfigMaps only: the objectSelector on the policy label means no other ConfigMap in the
 * cluster ever waits on us (or fails when we are down). The caller's selector narrows it further.
 */
/** What every webhook of ours shares: fail closed, no side effects, at most 5 s, v1 reviews. */
function commonFields(options: RenderOptions) {
  return {
    failurePolicy: "Fail",
    sideEffects: "None",
    timeoutSeconds: TIMEOUT_SECONDS,
    admissionReviewVersions: ["v1"],
    matchPolicy: "Equivalent",
    namespaceSelector: options.namespaceSelector ?? DEFAULT_NAMESPACE_SELECTOR,
  };
}

function policyConfigMapWebhook(options: RenderOptions) {
  const selector = options.objectSelector;
  return {
    name: POLICY_CONFIGMAP_WEBHOOK,
    clientConfig: clientConfigOf(POLICY_CONFIGMAP_PATH, options),
    rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"], scope: "Namespaced" }],
    ...commonFields(options),
    objectSelector: {
      ...selector,
      matchLabels: { ...selector?.matchLabels, [POLICY_LABEL]: "true" },
    },
  };
}

function webhook(mode: Mode, kind: Kind, options: RenderOptions) {
  const clientConfig = clientConfigOf(webhookPath(mode, kind), options);
  return {
    name: webhookName(mode, kind),
    clientConfig,
    rules: [{
      apiGroups: [GROUP],
      apiVersions: [VERSION],
      operations: ["CREATE", "UPDATE"],
      resources: [RESOURCES[kind].plural],
      scope: RESOURCES[kind].namespaced ? "Namespaced" : "Cluster",
    }],
    ...commonFields(options),
    ...(options.objectSelector ? { objectSelector: options.objectSelector } : {}),
    // Called only when there is something to default; a mutation by a later webhook re-runs ours, so defaults stay complete.
    ...(mode === "mutate"
      ? { matchConditions: [{ name: DEFAULTING_CONDITION_NAME, expression: DEFAULTING_CONDITIONS[kind] }], reinvocationPolicy: "IfNeeded" }
      : {}),
  };
}

const LABELS = { "app.kubernetes.io/part-of": "aegis-operator", "app.kubernetes.io/component": "webhooks" };

/** [validating, mutating], ready for server-side apply. */
export function renderWebhookConfigurations(options: RenderOptions = {}) {
  const names = options.names ?? DEFAULT_CONFIGURATION_NAMES;
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: VALIDATING_WEBHOOKS.kind,
      metadata: { name: names.validating, labels: LABELS },
      webhooks: [...KIND_NAMES.map((kind) => webhook("validate", kind, options)), policyConfigMapWebhook(options)],
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: MUTATING_WEBHOOKS.kind,
      metadata: { name: names.mutating, labels: LABELS },
      webhooks: KIND_NAMES.map((kind) => webhook("mutate", kind, options)),
    },
  ] as const;
}
