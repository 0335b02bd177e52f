// What the gateway does with each envelope, before anything else, in the order docs/seal.md fixes:
// size, parse, fields; the token (signature, issuer, audience, lifetime, execution binding); the
// envelope signature with the token's cnf key; freshness; nonce replay. Cheap refusals come first,
// the clock-dependent ones only after the signatures (so an unsigned request learns nothing about
// our clock), and the nonce is recorded last so that only authentic, fresh envelopes take space.
import { verify, type KeyObject } from "node:crypto";
import type { JsonValue } from "./canonical.ts";
import { fail, type SealResult } from "./codes.ts";
import { decodeFixed } from "./base64url.ts";
import { parseEnvelope, type Envelope } from "./envelope.ts";
import type { NonceCache } from "./nonces.ts";
import { signedBytes } from "./signed-bytes.ts";
import { checkBinding, type Binding, type SecurityClaims } from "./token-claims.ts";
import { verifyToken, type TokenAuthenticator } from "./token.ts";

export const FRESHNESS_MS = 30_000;

export interface VerifyOptions {
  /** The gateway's token verification keys by kid. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly issuer: string;
  readonly audience: string;
  /** The route the body arrived on, "<METHOD> <path>" (the signature covers it). */
  readonly route: string;
  /** What this request is about: the token must be bound to it. */
  readonly expect: Binding;
  readonly nonces: NonceCache;
  /** Authenticated tokens from earlier calls (createTokenCache); without it every call verifies the token's signature. */
  readonly tokens?: TokenAuthenticator;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  readonly maxBytes?: number;
  readonly freshnessMs?: number;
  readonly maxTtlSeconds?: number;
  readonly skewSeconds?: number;
}

export interface Verified {
  readonly envelope: Envelope;
  readonly payload: JsonValue;
  readonly claims: SecurityClaims;
}

export function verifyEnvelope(body: string | Uint8Array, options: VerifyOptions): SealResult<Verified> {
  const parsed = parseEnvelope(body, options.maxBytes);
  if (!parsed.ok) return parsed;
  const { envelope, payload } = parsed;
  const token = verifyToken(envelope.token, {
    keys: options.keys,
    issuer: options.issuer,
    audience: options.audience,
    clock: options.clock,
    maxTtlSeconds: options.maxTtlSeconds ?? 3600,
    skewSeconds: options.skewSeconds ?? 5,
  }, options.tokens);
  if (!token.ok) return token;
  const unbound = checkBinding(token.claims, options.expect);
  if (unbound !== undefined) return unbound;
  // parseEnvelope checked the signature is 64 bytes of base64url.
  if (!verify(null, signedBytes({ ...envelope, route: options.route }), token.agentKey, decodeFixed(envelope.signature, 64)!)) {
    return fail("BadSignature", "envelope signature does not verify with the token's cnf key");
  }
  const window = options.freshnessMs ?? FRESHNESS_MS;
  const age = options.clock() - envelope.timestamp;
  if (age > window) return fail("StaleTimestamp", `envelope signed ${age} ms ago, over ${window} ms`);
  if (age < -window) return fail("FutureTimestamp", `envelope timestamp ${-age} ms ahead, over ${window} ms`);
  const verdict = options.nonces.record(`${token.claims.jti}.${envelope.nonce}`);
  if (verdict === "replayed") return fail("ReplayedNonce", "nonce already used under this token");
  if (verdict === "full") return fail("ReplayCacheFull", "replay cache is full; retry shortly");
  return { ok: true, envelope, payload, claims: token.claims };
}
