/**
 * I/O: writes the CA bundle into our webhook configurations by server-side apply of
 * `webhooks[*].clientConfig.caBundle` only, under a field manager of its own, so whoever
 * installs the configurations (kubectl, GitOps) keeps owning everything else.
 */
import { isNotFound } from "../../src/kube/errors.ts";
import type { KubeClient, KubeObject, Resource } from "../../src/kube/types.ts";
import { MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS, type ConfigurationNames } from "../configurations.ts";

export const CA_BUNDLE_FIELD_MANAGER = "aegis-webhook-certificates";

/** Injects `caBundle` (PEM); returns the names of the configurations that do not exist. */
export async function injectCaBundle(client: KubeClient, names: ConfigurationNames, caBundle: string): Promise<string[]> {
  const encoded = Buffer.from(caBundle).toString("base64");
  const targets: [Resource, string][] = [[VALIDATING_WEBHOOKS, names.validating], [MUTATING_WEBHOOKS, names.mutating]];
  const missing: string[] = [];
  for (const [resource, name] of targets) {
    let current: KubeObject;
    try {
      current = await client.get<KubeObject>(resource, undefined, name);
    } catch (err) {
      if (isNotFound(err)) {
        missing.push(name);
        continue;
      }
      throw err;
    }
    const webhooks = ((current.webhooks ?? []) as { name: string }[]).map((w) => ({ name: w.name, clientConfig: { caBundle: encoded } }));
    await client.apply(resource, { apiVersion: "admissionregistration.k8s.io/v1", kind: resource.kind, metadata: { name }, webhooks }, {
      fieldManager: CA_BUNDLE_FIELD_MANAGER,
      force: true,
    });
  }
  return missing;
}
