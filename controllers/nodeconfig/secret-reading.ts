/**
 * Pure: what one get of a provider's key Secret tells the status checks — its key names, that it
 * does not exist, or that it could not be read and the API's reason why. Only the reason: an
 * error's text is not copied into status. Secret values are never kept beyond their key names.
 */
import { isKubeApiError, isNotFound } from "../../src/kube/errors.ts";
import type { KubeObject } from "../../src/kube/types.ts";

export type SecretObject = KubeObject & { data?: Record<string, string> };

export type SecretReading =
  | { readonly state: "found"; readonly keys: readonly string[] }
  | { readonly state: "notFound" }
  /** `reason`: the Kubernetes reason (Forbidden, ServiceUnavailable…), or Unknown. */
  | { readonly state: "unreadable"; readonly reason: string };

/** The key names of a Secret that was read; its values go no further. */
export const secretFound = (secret: SecretObject): SecretReading => ({ state: "found", keys: Object.keys(secret.data ?? {}).sort() });

export function secretReadFailed(error: unknown): SecretReading {
  if (isNotFound(error)) return { state: "notFound" };
  return { state: "unreadable", reason: isKubeApiError(error) ? error.reason : "Unknown" };
}
