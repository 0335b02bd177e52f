/**
 * The runtime registry: a ConfigMap whose data maps "<language>-<version>" to a pinned image
 * (format in docs/runtime-registry.md). An explicit runtime.image bypasses it.
 */
import type { Verdict } from "../../src/runtime/policy-chain.ts";
import { Reason } from "./reasons.ts";
import type { AgentView } from "./spec.ts";

export interface RegistryRef {
  readonly namespace: string;
  readonly name: string;
}

/** Where the registry lives unless the operator is configured otherwise. */
export const DEFAULT_REGISTRY: RegistryRef = { namespace: "aegis-system", name: "aegis-runtime-registry" };

/** The data key of a language and version, e.g. "python-3.12". */
export const registryKey = (language: string, version: string): string => `${language}-${version}`;

/** An image reference: no whitespace, not empty. The registry is trusted beyond that. */
const IMAGE = /^[^\s]+$/;

export type ImageResolution = { readonly image: string } | { readonly failure: Verdict };

/** The image an Agent's runtime runs; `data` is the registry's data, undefined when it is missing. */
export function resolveImage(runtime: AgentView["runtime"], data: Readonly<Record<string, string>> | undefined, ref: RegistryRef): ImageResolution {
  if (runtime.image !== undefined) return { image: runtime.image };
  const key = registryKey(runtime.language ?? "", runtime.version ?? "");
  if (data === undefined) {
    return { failure: { reason: Reason.RegistryMissing, message: `runtime registry ConfigMap ${ref.namespace}/${ref.name} not found` } };
  }
  const image = Object.hasOwn(data, key) ? data[key]?.trim() : undefined;
  if (image === undefined) {
    return { failure: { reason: Reason.UnknownLanguageVersion, message: `runtime registry ${ref.namespace}/${ref.name} has no image for ${runtime.language} ${runtime.version} (key ${key})` } };
  }
  if (!IMAGE.test(image)) {
    return { failure: { reason: Reason.RegistryEntryInvalid, message: `runtime registry ${ref.namespace}/${ref.name}: entry ${key} is not an image reference` } };
  }
  return { image };
}
