/**
 * The part of a NodeConfig spec this controller reads, parsed once. The CRD schema already
 * guarantees this shape for stored objects; parsing anyway keeps the decision functions total
 * (any JSON in, a condition out) and gives garbage a precise InvalidSpec message.
 */
import { z } from "zod";
import type { NodeConfigSpec } from "../../src/api/index.ts";
import { readSpecWith, type SpecReading as Reading } from "../../src/runtime/spec-reading.ts";

const secretRef = z.object({ namespace: z.string(), name: z.string(), key: z.string() });

const provider = z.object({
  name: z.string(),
  enabled: z.boolean().optional(),
  apiKeySecretRef: secretRef.optional(),
  models: z.array(z.object({ alias: z.string(), model: z.string() })),
});

const spec = z.object({
  type: z.enum(["Orchestrator", "Edge", "Hybrid"] satisfies NodeConfigSpec["type"][]),
  nodeSelector: z.unknown().optional(),
  tags: z.array(z.string()).optional(),
  llmProviders: z.array(provider).optional(),
});

export type NodeConfigView = z.infer<typeof spec>;
export type ProviderView = z.infer<typeof provider>;

export type SpecReading = Reading<NodeConfigView>;

/** Parses `raw` (anything) into the view, or says what is wrong with it. */
export const readSpec = (raw: unknown): SpecReading => readSpecWith(spec, raw);

/** Providers that count: enabled (the default) ones. */
export const enabledProviders = (view: NodeConfigView): ProviderView[] => (view.llmProviders ?? []).filter((p) => p.enabled !== false);

/** Provider checks apply to Orchestrators, and to Hybrids that declare providers. */
export const validatesProviders = (view: NodeConfigView): boolean =>
  view.type === "Orchestrator" || (view.type === "Hybrid" && (view.llmProviders?.length ?? 0) > 0);

export interface SecretName {
  readonly namespace: string;
  readonly name: string;
}

/** "namespace/name": how status.ts looks up what a get of a Secret found. */
export const secretKey = (ref: SecretName): string => `${ref.namespace}/${ref.name}`;

/** The Secrets the provider checks (status.ts) look at: enabled providers' key Secrets, each once. */
export function checkedSecrets(view: NodeConfigView): SecretName[] {
  if (!validatesProviders(view)) return [];
  const byKey = new Map<string, SecretName>();
  for (const { apiKeySecretRef: ref } of enabledProviders(view)) {
    if (ref) byKey.set(secretKey(ref), { namespace: ref.namespace, name: ref.name });
  }
  return [...byKey.values()];
}
