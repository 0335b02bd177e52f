/**
 * Deterministic ids for history rows. A retried write (an operator restarted mid-iteration, a
 * reconcile run twice) derives the same id from the same facts, so `ON CONFLICT (id) DO NOTHING`
 * turns the retry into a no-op: exactly one row per event whatever retries happen.
 */
import { createHash } from "node:crypto";

/** The namespace of every aegis uuid-v5 (itself a random v4 uuid, fixed forever). */
export const AEGIS_UUID_NAMESPACE = "5b0c8a4e-3f2d-4c61-9a7e-0d9e2f6b1c43";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 9562 version-5 uuid (SHA-1 of namespace bytes + name, version and variant bits set). */
export function uuidV5(name: string, namespace: string = AEGIS_UUID_NAMESPACE): string {
  if (!UUID.test(namespace)) throw new Error(`"${namespace}" is not a uuid`);
  const hash = createHash("sha1").update(Buffer.from(namespace.replaceAll("-", ""), "hex")).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of a domain event: uuid-v5 of `executionUid/iteration/kind`. `kind` names the event
 * within the iteration (e.g. "PodStarted", "Validated/exit_code"); the caller must make it unique
 * there — two different facts under one kind would collapse into one row.
 */
export function eventId(executionUid: string, iteration: number, kind: string): string {
  return uuidV5(`${executionUid}/${iteration}/${kind}`);
}

/** True when `id` is a syntactically valid uuid (any version). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
