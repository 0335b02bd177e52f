// A bounded memo of authenticated tokens. A pod sends every call of an iteration under one token,
// so verifying its signature once (not per call) halves the gateway's Ed25519 work. Only the
// clock-free part is cached (token-claims checks — expiry above all — still run on every call),
// an entry counts only while the gateway still lists the key that signed it (a rotated-out key
// stops its tokens at once), and only successes are kept (a forger cannot fill it). Evicting an
// entry costs one re-verification, never safety, so the oldest goes when it is full.
import type { KeyObject } from "node:crypto";
import type { SealResult } from "./codes.ts";
import { authenticateToken, type AuthenticatedToken, type TokenAuthenticator } from "./token.ts";

type Authenticated = { readonly ok: true } & AuthenticatedToken;

export function createTokenCache(capacity: number): TokenAuthenticator & { readonly size: number } {
  if (!(capacity > 0)) throw new Error("token cache capacity must be positive");
  const entries = new Map<string, Authenticated>();
  return {
    authenticate(token: string, keys: ReadonlyMap<string, KeyObject>): SealResult<AuthenticatedToken> {
      const hit = entries.get(token);
      if (hit !== undefined && keys.get(hit.kid) === hit.key) return hit;
      const result = authenticateToken(token, keys);
      if (result.ok) {
        entries.delete(token);
        if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
        entries.set(token, result);
      }
      return result;
    },
    get size() {
      return entries.size;
    },
  };
}
