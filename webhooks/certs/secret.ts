/**
 * Pure: the webhook certificates as a kubernetes.io/tls Secret and back. `ca-bundle.crt` is
 * what the webhook configurations trust: the current CA, plus the previous one while it is
 * still valid, so API servers that still hold the old bundle keep working through a rotation.
 */
import * as x509 from "@peculiar/x509";
import type { KubeObject } from "../../src/kube/types.ts";
import type { Issued } from "./issue.ts";

export interface StoredCertificates extends Issued {
  readonly caBundle: string;
}

const KEYS = { caCert: "ca.crt", tlsCert: "tls.crt", tlsKey: "tls.key", caBundle: "ca-bundle.crt" } as const;

const b64 = (text: string): string => Buffer.from(text).toString("base64");
const unb64 = (value: unknown): string | undefined => (typeof value === "string" ? Buffer.from(value, "base64").toString() : undefined);

export function toSecret(namespace: string, name: string, stored: StoredCertificates, resourceVersion?: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}), labels: { "app.kubernetes.io/part-of": "aegis-operator", "app.kubernetes.io/component": "webhooks" } },
    type: "kubernetes.io/tls",
    data: Object.fromEntries(Object.entries(KEYS).map(([field, key]) => [key, b64(stored[field as keyof typeof KEYS])])),
  };
}

/** The certificates of a Secret; undefined when any key is missing. */
export function fromSecret(secret: KubeObject): StoredCertificates | undefined {
  const data = (secret.data ?? {}) as Record<string, unknown>;
  const caCert = unb64(data[KEYS.caCert]);
  const tlsCert = unb64(data[KEYS.tlsCert]);
  const tlsKey = unb64(data[KEYS.tlsKey]);
  const caBundle = unb64(data[KEYS.caBundle]) ?? caCert;
  if (!caCert || !tlsCert || !tlsKey || !caBundle) return undefined;
  return { caCert, tlsCert, tlsKey, caBundle };
}

/** The new CA, then the previous one when it is readable and not expired at `now`. */
export function bundleOf(newCa: string, previousCa: string | undefined, now: Date): string {
  if (previousCa === undefined || previousCa === newCa) return newCa;
  try {
    const previous = new x509.X509Certificate(previousCa);
    return previous.notAfter > now ? `${newCa.trimEnd()}\n${previous.toString("pem").trimEnd()}\n` : newCa;
  } catch {
    return newCa;
  }
}
