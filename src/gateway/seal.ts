// SEAL in the gateway (docs/seal.md): attestation of iteration pods (TokenReview → the pod's
// execution and iteration → a security token for the pod's key) and verification of the
// envelopes of the execution-loop writes (tool calls, results, output). One nonce cache and one
// token cache per gateway. The API server calls are injected (seal-kube.ts wires them).
import type { KeyObject } from "node:crypto";
import { attest, type AttestResponse, type PodIdentity, type TokenReviewStatus } from "../seal/attest.ts";
import { type SealResult } from "../seal/codes.ts";
import { exportPublicJwk } from "../seal/keys.ts";
import { createNonceCache } from "../seal/nonces.ts";
import { createTokenCache } from "../seal/token-cache.ts";
import { issueToken } from "../seal/token.ts";
import { verifyEnvelope, type Verified } from "../seal/verify.ts";
import type { ExecutionGrant } from "./credentials.ts";

/** The gateway's audience for projected service-account tokens and for its own security tokens. */
export const SEAL_AUDIENCE = "aegis-gateway";
export const SEAL_ISSUER = "aegis-gateway";
export const SEAL_SCOPE = "tool-calls";
/** The largest envelope body (docs/seal.md §4). */
export const SEAL_MAX_BYTES = 1024 * 1024;

/** What the gateway knows of a pod from the API server. */
export interface PodFacts {
  readonly uid: string;
  /** The uid of the Execution that controls it. */
  readonly executionUid: string;
  readonly iteration: number;
}

/** How long a retired key is still trusted: the longest lifetime a token may have (docs/seal.md §3). */
export const SEAL_KEY_RETENTION_MS = 3_600_000;

/** A gateway key that signed before the current one: tokens it signed verify until they expire. */
export interface RetiredKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
  /** Epoch milliseconds when the next key replaced it. */
  readonly retiredAt: number;
}

export interface SealSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The keys it replaced (newest first): verified, never used to sign, dropped SEAL_KEY_RETENTION_MS after their retirement. */
  readonly previous?: readonly RetiredKey[];
}

/** The keys tokens verify with at `now`: the signing key and the retired keys whose tokens may still be live. */
export function verificationKeys(key: SealSigningKey, now: number): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const old of key.previous ?? []) if (now < old.retiredAt + SEAL_KEY_RETENTION_MS && old.kid !== key.kid) keys.set(old.kid, old.publicKey);
  keys.set(key.kid, key.publicKey);
  return keys;
}

export interface GatewaySealOptions {
  /** The key to sign with (and its retired predecessors); a function is asked on every use, so a rotation applies at once. */
  readonly signingKey: SealSigningKey | (() => SealSigningKey);
  /** Creates a TokenReview (spec.token, spec.audiences) and answers its status. */
  readonly tokenReview: (token: string, audiences: readonly string[]) => Promise<TokenReviewStatus>;
  /** The pod by namespace and name, or undefined when it does not exist. */
  readonly podOf: (namespace: string, name: string) => Promise<PodFacts | undefined>;
  readonly audience?: string;
  readonly issuer?: string;
  /** Security token lifetime (default 600 s). */
  readonly ttlSeconds?: number;
  /** Epoch milliseconds. */
  readonly clock?: () => number;
  readonly nonceCapacity?: number;
  readonly maxBytes?: number;
}

/** The unfinished grant of an execution uid's iteration (the credential registry). */
export type GrantFinder = (executionUid: string, iteration: number) => ExecutionGrant | undefined;

export interface GatewaySeal {
  readonly maxBytes: number;
  /** POST /v1/seal/attest. */
  attest(body: unknown): Promise<SealResult<AttestResponse>>;
  /** An envelope received on `route` ("POST /v1/tool-calls") for `grant`'s iteration. */
  verify(body: string | Uint8Array, route: string, grant: ExecutionGrant): SealResult<Verified>;
}

export function createGatewaySeal(options: GatewaySealOptions, grantOf: GrantFinder): GatewaySeal {
  const clock = options.clock ?? Date.now;
  const audience = options.audience ?? SEAL_AUDIENCE;
  const issuer = options.issuer ?? SEAL_ISSUER;
  const ttlSeconds = options.ttlSeconds ?? 600;
  const maxBytes = options.maxBytes ?? SEAL_MAX_BYTES;
  const given = options.signingKey;
  const signingKey = typeof given === "function" ? given : () => given;
  // Rebuilt when the key changes or a retired key's retention ends (the token cache then stops trusting its tokens too).
  let keys = new Map<string, KeyObject>();
  let keysOf: SealSigningKey | undefined;
  let keysUntil = -Infinity;
  const currentKeys = (): Map<string, KeyObject> => {
    const now = clock();
    const key = signingKey();
    if (key !== keysOf || now >= keysUntil) {
      keys = verificationKeys(key, now);
      keysOf = key;
      keysUntil = Math.min(Infinity, ...(key.previous ?? []).map((k) => k.retiredAt + SEAL_KEY_RETENTION_MS).filter((end) => end > now));
    }
    return keys;
  };
  const nonces = createNonceCache({ capacity: options.nonceCapacity ?? 100_000, retentionMs: 60_000, clock });
  const tokens = createTokenCache(10_000);
  // One key per pod uid: a leaked SA token cannot bind a second key (re-attesting the same key is fine).
  const boundKeys = new Map<string, string>();

  async function issueFor(pod: PodIdentity, publicKey: KeyObject): Promise<{ token: string; expiresAt: number } | undefined> {
    const facts = await options.podOf(pod.namespace, pod.podName);
    if (facts === undefined || facts.uid !== pod.podUid) return undefined;
    const grant = grantOf(facts.executionUid, facts.iteration);
    if (grant === undefined || grant.namespace !== pod.namespace) return undefined;
    const x = exportPublicJwk(publicKey).x;
    const bound = boundKeys.get(pod.podUid);
    if (bound !== undefined && bound !== x) return undefined;
    boundKeys.set(pod.podUid, x);
    if (boundKeys.size > 10_000) boundKeys.delete(boundKeys.keys().next().value ?? "");
    const key = signingKey();
    const issued = issueToken(
      { sub: `${grant.namespace}/${grant.agent ?? grant.execution}`, scope: SEAL_SCOPE, execution: `${grant.namespace}/${grant.execution}`, iteration: grant.iteration, publicKey },
      { issuer, audience, ttlSeconds, signingKey: { kid: key.kid, privateKey: key.privateKey }, clock },
    );
    return { token: issued.token, expiresAt: issued.claims.exp * 1000 };
  }

  return {
    maxBytes,
    attest: (body) => attest(body, { tokenReview: options.tokenReview, issueToken: issueFor, audience }),
    verify: (body, route, grant) => verifyEnvelope(body, {
      keys: currentKeys(), issuer, audience, route, nonces, tokens, clock, maxBytes,
      expect: { execution: `${grant.namespace}/${grant.execution}`, iteration: grant.iteration, scope: SEAL_SCOPE },
    }),
  };
}
