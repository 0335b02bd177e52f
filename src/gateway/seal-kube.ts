// SEAL's API server calls: TokenReview (attestation), the pod an attested token is bound to, and
// the gateway's token signing key, kept in a Secret in the operator's namespace so that restarts
// and replicas sign and verify with the same key. The key is rotated when it is older than 30 days
// (at load); the keys it replaced stay in the Secret (public halves only) so that their tokens
// verify until they expire (docs/seal.md §8).
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { TokenReviewStatus } from "../seal/attest.ts";
import { generateKeyPair } from "../seal/keys.ts";
import type { Logger } from "pino";
import { isAlreadyExists, isConflict, isNotFound } from "../kube/errors.ts";
import { controllerOf } from "../kube/owners.ts";
import { PODS, SECRETS } from "../kube/resources.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import { SEAL_KEY_RETENTION_MS, type PodFacts, type RetiredKey, type SealSigningKey } from "./seal.ts";

export const TOKENREVIEWS: Resource = { group: "authentication.k8s.io", version: "v1", plural: "tokenreviews", kind: "TokenReview", namespaced: false };
export const SEAL_KEY_SECRET = "aegis-seal-signing-key";
const ITERATION_LABEL = "aegis.dev/iteration";
const KID = "gw-1";

export function kubeTokenReview(client: KubeClient): (token: string, audiences: readonly string[]) => Promise<TokenReviewStatus> {
  return async (token, audiences) => {
    const review = await client.create<KubeObject & { status?: TokenReviewStatus }>(TOKENREVIEWS, {
      apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", metadata: {}, spec: { token, audiences: [...audiences] },
    } as KubeObject);
    return review.status ?? {};
  };
}

export function kubePodFacts(client: KubeClient): (namespace: string, name: string) => Promise<PodFacts | undefined> {
  return async (namespace, name) => {
    let pod: KubeObject;
    try {
      pod = await client.get(PODS, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const owner = controllerOf(pod);
    const iteration = Number(pod.metadata.labels?.[ITERATION_LABEL]);
    if (owner?.kind !== "Execution" || pod.metadata.uid === undefined || !Number.isSafeInteger(iteration)) return undefined;
    return { uid: pod.metadata.uid, executionUid: owner.uid, iteration };
  };
}

type SecretObject = KubeObject & { data?: Record<string, string> };

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const unb64 = (value: string) => Buffer.from(value, "base64").toString("utf8");

/** A retired key as kept in the Secret's `previous.json`: only its public half. */
interface StoredRetiredKey {
  readonly kid: string;
  readonly publicKey: string;
  readonly retiredAt: string;
}

function retiredKeys(json: string | undefined): RetiredKey[] {
  if (json === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(unb64(json));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const keys: RetiredKey[] = [];
  for (const entry of parsed as Partial<StoredRetiredKey>[]) {
    const retiredAt = Date.parse(entry.retiredAt ?? "");
    if (typeof entry.kid !== "string" || typeof entry.publicKey !== "string" || !Number.isFinite(retiredAt)) continue;
    try {
      const publicKey = createPublicKey(entry.publicKey);
      if (publicKey.asymmetricKeyType === "ed25519") keys.push({ kid: entry.kid, publicKey, retiredAt });
    } catch {
      // An unreadable entry verifies nothing.
    }
  }
  return keys;
}

/** Pure: the signing key (with the keys it replaced) from the Secret's data, or undefined when it holds none. */
export function keyFromSecret(secret: SecretObject): SealSigningKey | undefined {
  const pem = secret.data?.["private.pem"];
  if (pem === undefined) return undefined;
  const privateKey = createPrivateKey(unb64(pem));
  if (privateKey.asymmetricKeyType !== "ed25519") return undefined;
  const kid = secret.data?.["kid"] === undefined ? KID : unb64(secret.data["kid"]);
  return { kid, privateKey, publicKey: createPublicKey(privateKey), previous: retiredKeys(secret.data?.["previous.json"]) };
}

/** When the Secret's signing key was created (epoch ms), or undefined for a Secret written before rotation existed. */
export function keyCreatedAt(secret: SecretObject): number | undefined {
  const created = secret.data?.["created"];
  const at = created === undefined ? NaN : Date.parse(unb64(created));
  return Number.isFinite(at) ? at : undefined;
}

/** The next kid: gw-1 → gw-2; anything else gets a -2 (then -3…). */
export function nextKid(kid: string): string {
  const match = /^(.*-)(\d+)$/.exec(kid);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${kid}-2`;
}

/** Pure: the Secret data holding a fresh signing key (`pair`), the current one retired at `now`, retired keys past their retention dropped. */
export function rotatedKeyData(data: Record<string, string>, pair: { privateKey: KeyObject }, now: number): Record<string, string> {
  const current = keyFromSecret({ metadata: {}, data } as SecretObject);
  const kept = (current?.previous ?? []).filter((k) => now < k.retiredAt + SEAL_KEY_RETENTION_MS);
  const retired: StoredRetiredKey[] = [
    ...(current === undefined ? [] : [{ kid: current.kid, publicKey: current.publicKey.export({ format: "pem", type: "spki" }).toString(), retiredAt: new Date(now).toISOString() }]),
    ...kept.map((k) => ({ kid: k.kid, publicKey: k.publicKey.export({ format: "pem", type: "spki" }).toString(), retiredAt: new Date(k.retiredAt).toISOString() })),
  ];
  return keyData(pair, current === undefined ? KID : nextKid(current.kid), now, retired);
}

function keyData(pair: { privateKey: KeyObject }, kid: string, now: number, retired: readonly StoredRetiredKey[] = []): Record<string, string> {
  return {
    "private.pem": b64(pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
    kid: b64(kid),
    created: b64(new Date(now).toISOString()),
    ...(retired.length > 0 ? { "previous.json": b64(JSON.stringify(retired)) } : {}),
  };
}

export interface SigningKeyOptions {
  /** Epoch milliseconds. */
  readonly clock?: () => number;
  /** A key older than this is replaced at load (default 30 days); a Secret without `created` counts as due. */
  readonly rotateAfterMs?: number;
  /** Told when a due rotation fails (e.g. no RBAC to update the Secret): the current key stays in use. */
  readonly log?: Pick<Logger, "warn">;
}

export const SEAL_KEY_ROTATE_AFTER_MS = 30 * 24 * 3_600_000;

/**
 * Replaces the signing key in `secret` with a fresh one (the old one kept for verification).
 * Optimistic: when another replica wrote the Secret first (409), its key is read instead.
 */
export async function rotateSigningKey(client: KubeClient, secret: SecretObject, now: number): Promise<SealSigningKey> {
  const data = rotatedKeyData(secret.data ?? {}, generateKeyPair(), now);
  try {
    const updated = await client.update<SecretObject>(SECRETS, { ...secret, data });
    return keyFromSecret(updated) ?? noKey(secret);
  } catch (error) {
    if (!isConflict(error)) throw error;
    return keyFromSecret(await client.get(SECRETS, secret.metadata.namespace, SEAL_KEY_SECRET)) ?? noKey(secret);
  }
}

const noKey = (secret: KubeObject): never => {
  throw new Error(`Secret ${secret.metadata.namespace ?? ""}/${SEAL_KEY_SECRET} holds no Ed25519 private.pem`);
};

/** The key in `<namespace>/aegis-seal-signing-key`: created (a fresh Ed25519 key) when absent, rotated when due. */
export async function loadSigningKey(client: KubeClient, namespace: string, options: SigningKeyOptions = {}): Promise<SealSigningKey> {
  const now = (options.clock ?? Date.now)();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const secret = await client.get<SecretObject>(SECRETS, namespace, SEAL_KEY_SECRET);
      const existing = keyFromSecret(secret) ?? noKey(secret);
      const created = keyCreatedAt(secret);
      if (created !== undefined && now - created < (options.rotateAfterMs ?? SEAL_KEY_ROTATE_AFTER_MS)) return existing;
      try {
        return await rotateSigningKey(client, secret, now);
      } catch (error) {
        options.log?.warn({ err: error, namespace, kid: existing.kid }, "SEAL signing key not rotated; it stays in use");
        return existing;
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const pair = generateKeyPair();
    try {
      await client.create(SECRETS, {
        apiVersion: "v1", kind: "Secret", metadata: { name: SEAL_KEY_SECRET, namespace, labels: { "app.kubernetes.io/part-of": "aegis" } },
        type: "Opaque", data: keyData(pair, KID, now),
      } as KubeObject);
      return { kid: KID, privateKey: pair.privateKey, publicKey: pair.publicKey, previous: [] };
    } catch (error) {
      // Another replica created it first: read theirs.
      if (!isAlreadyExists(error)) throw error;
    }
  }
  throw new Error(`could not read or create Secret ${namespace}/${SEAL_KEY_SECRET}`);
}
