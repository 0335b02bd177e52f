/**
 * What an integration test needs of the cluster the global setup started: a client, kubectl,
 * a namespace of its own, and ways to wait on state.
 */
import { randomBytes } from "node:crypto";
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { runKubectl, type KubectlResult } from "../../src/local/kubectl.ts";
import { eventually, type EventuallyOptions } from "./eventually.ts";

export { eventually };
export const GROUP = "aegis.dev";
export const VERSION = "v1alpha1";

let cached: KubeConfig | undefined;

export function kubeConfig(): KubeConfig {
  if (!cached) {
    cached = new KubeConfig();
    cached.loadFromFile(inject("kubeconfig"));
  }
  return cached;
}

export function kubeconfigPath(): string {
  return inject("kubeconfig");
}

export function core(): CoreV1Api {
  return kubeConfig().makeApiClient(CoreV1Api);
}

export function customObjects(): CustomObjectsApi {
  return kubeConfig().makeApiClient(CustomObjectsApi);
}

/** The kubectl binary the tests use (built with the control plane). */
export function kubectlBinary(): string {
  return inject("kubectl");
}

/** Runs kubectl against the test cluster. */
export function kubectl(args: readonly string[], options: { input?: string; namespace?: string } = {}): Promise<KubectlResult> {
  return runKubectl(inject("kubectl"), inject("kubeconfig"), args, options);
}

/** True when the aegis-local node runs pods in this cluster. */
export function hasLocalNode(): boolean {
  return inject("localNode");
}

/**
 * Creates a namespace named `<prefix>-<random>` and waits until its default ServiceAccount
 * exists (pods cannot be created before that). Each test gets its own.
 */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`.toLowerCase().slice(0, 63);
  await core().createNamespace({ body: { metadata: { name, labels: { "test.aegis.dev/suite": prefix.slice(0, 63) } } } });
  await eventually(() => core().readNamespacedServiceAccount({ name: "default", namespace: name }), {
    message: `default ServiceAccount in ${name}`,
  });
  return name;
}

/** Deletes a namespace without waiting for it to finish terminating. */
export async function deleteNamespace(name: string): Promise<void> {
  await core().deleteNamespace({ name }).catch((err: unknown) => {
    if (!(err instanceof ApiException && err.code === 404)) throw err;
  });
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Waits until an aegis.dev object has condition `type` with `status` and returns the object. */
export async function waitForCondition(
  ref: { plural: string; namespace?: string; name: string },
  type: string,
  status: "True" | "False" | "Unknown" = "True",
  options: EventuallyOptions = {},
): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const obj = (ref.namespace
      ? await customObjects().getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: ref.plural, namespace: ref.namespace, name: ref.name })
      : await customObjects().getClusterCustomObject({ group: GROUP, version: VERSION, plural: ref.plural, name: ref.name })) as {
      status?: { conditions?: Condition[] };
    };
    const condition = obj.status?.conditions?.find((c) => c.type === type);
    if (condition?.status !== status) {
      throw new Error(`${ref.plural}/${ref.name} has ${type}=${condition?.status ?? "<none>"}, want ${status}`);
    }
    return obj as Record<string, unknown>;
  }, { message: `${ref.plural}/${ref.name} ${type}=${status}`, ...options });
}
