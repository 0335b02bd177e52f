// Ed25519 key pairs. The agent pod generates its pair at start and keeps the private key in memory
// only; the public key travels as a JWK (RFC 8037) in the attestation request and, from there, in
// the security token's `cnf` claim (RFC 7800), which is how the gateway knows the envelope key.
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { decodeFixed } from "./base64url.ts";

export interface Ed25519PublicJwk {
  readonly kty: "OKP";
  readonly crv: "Ed25519";
  /** The 32-byte public key, base64url. */
  readonly x: string;
}

export interface Ed25519KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function generateKeyPair(): Ed25519KeyPair {
  return generateKeyPairSync("ed25519");
}

export function exportPublicJwk(publicKey: KeyObject): Ed25519PublicJwk {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new Error("not an Ed25519 public key");
  return { kty: "OKP", crv: "Ed25519", x: jwk.x };
}

/** The raw 32-byte public key as base64url (the JWK's `x`). */
export function publicKeyBase64url(publicKey: KeyObject): string {
  return exportPublicJwk(publicKey).x;
}

/** A public key from untrusted JSON, or undefined unless it is exactly an Ed25519 public JWK
 *  (no private `d`, no extra members that could change its meaning). */
export function importPublicJwk(value: unknown): KeyObject | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const jwk = value as Record<string, unknown>;
  const members = Object.keys(jwk);
  if (members.length !== 3 || jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") return undefined;
  if (decodeFixed(jwk.x, 32) === undefined) return undefined;
  try {
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
  } catch {
    return undefined;
  }
}
