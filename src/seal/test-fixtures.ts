// Shared setup for the SEAL tests and benchmark: a gateway with one token key, an agent pod with
// its own key pair and a token, a settable clock, and a raw JWT builder for forged tokens.
import { sign, type KeyObject } from "node:crypto";
import { encodeBase64url } from "./base64url.ts";
import { generateKeyPair, type Ed25519KeyPair } from "./keys.ts";
import { createNonceCache } from "./nonces.ts";
import { signEnvelope, encodeEnvelope } from "./sign.ts";
import { issueToken, type TokenSubject } from "./token.ts";
import type { VerifyOptions } from "./verify.ts";

export const ISSUER = "aegis-gateway";
export const AUDIENCE = "aegis-gateway/tool-calls";
export const EXECUTION = "team-a/fix-bug-7";
export const ROUTE = "POST /v1/tool-calls";
export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

export interface Fixture {
  now: number;
  readonly clock: () => number;
  readonly gateway: Ed25519KeyPair;
  readonly agent: Ed25519KeyPair;
  readonly token: string;
  readonly options: VerifyOptions;
  /** A signed envelope body for `payload` with the fixture's token and key (or overrides). */
  body(payload?: unknown, overrides?: { token?: string; privateKey?: KeyObject; at?: number }): string;
  /** A token from the fixture's gateway key with `changes` applied to the subject or options. */
  issue(changes?: Partial<TokenSubject> & { issuer?: string; audience?: string; ttlSeconds?: number }): string;
}

export const PAYLOAD = { seq: 1, name: "fs.read", arguments: { path: "/workspace/a.txt" } };

export function fixture(capacity = 1000): Fixture {
  const gateway = generateKeyPair();
  const agent = generateKeyPair();
  const f = { now: T0 } as Fixture;
  const clock = () => f.now;
  const issue: Fixture["issue"] = (changes = {}) =>
    issueToken(
      { sub: "team-a/coder", scope: "tool-calls", execution: EXECUTION, iteration: 1, publicKey: agent.publicKey, ...changes },
      {
        issuer: changes.issuer ?? ISSUER,
        audience: changes.audience ?? AUDIENCE,
        ttlSeconds: changes.ttlSeconds ?? 600,
        signingKey: { kid: "gw-1", privateKey: gateway.privateKey },
        clock,
      },
    ).token;
  const token = issue();
  const options: VerifyOptions = {
    keys: new Map([["gw-1", gateway.publicKey]]),
    issuer: ISSUER,
    audience: AUDIENCE,
    route: ROUTE,
    expect: { execution: EXECUTION, iteration: 1, scope: "tool-calls" },
    nonces: createNonceCache({ capacity, retentionMs: 60_000, clock }),
    clock,
  };
  const body: Fixture["body"] = (payload = PAYLOAD, o = {}) =>
    encodeEnvelope(signEnvelope(payload, { route: ROUTE, token: o.token ?? token, privateKey: o.privateKey ?? agent.privateKey, clock: () => o.at ?? f.now }));
  return Object.assign(f, { clock, gateway, agent, token, options, body, issue });
}

/** A compact JWT with any header and claims, signed by Ed25519 `key` (or `signature` verbatim). */
export function rawJwt(header: object, claims: object, key: KeyObject | { signature: string }): string {
  const input = `${encodeBase64url(Buffer.from(JSON.stringify(header)))}.${encodeBase64url(Buffer.from(JSON.stringify(claims)))}`;
  const signature = "signature" in key ? key.signature : encodeBase64url(sign(null, Buffer.from(input), key));
  return `${input}.${signature}`;
}

/** The decoded claims of a compact JWT (no checks). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}
