/**
 * The only Secret I/O of this controller: a get, by name, of each Secret its providers reference,
 * at reconcile time. No informer: the operator caches no Secret, and needs no list or watch on
 * Secrets. A get returns the values too (RBAC cannot grant key names alone); only the key names
 * are kept (secret-reading.ts) and the object is dropped at once. Never throws: a failed get is
 * a status reason, logged with the API reason only.
 */
import type { Logger } from "pino";
import { SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { secretFound, secretReadFailed, type SecretObject, type SecretReading } from "./secret-reading.ts";
import { secretKey, type SecretName } from "./spec.ts";

export async function readSecrets(client: KubeClient, secrets: readonly SecretName[], log: Logger): Promise<Map<string, SecretReading>> {
  const entries = await Promise.all(secrets.map(async (ref): Promise<[string, SecretReading]> => {
    try {
      return [secretKey(ref), secretFound(await client.get<SecretObject>(SECRETS, ref.namespace, ref.name))];
    } catch (error) {
      const reading = secretReadFailed(error);
      if (reading.state === "unreadable") log.warn({ secret: secretKey(ref), reason: reading.reason }, "A provider's key Secret could not be read");
      return [secretKey(ref), reading];
    }
  }));
  return new Map(entries);
}
