import { describe, expect, it } from "vitest";
import { decodeBase64url, decodeFixed, encodeBase64url } from "./base64url.ts";
import { exportPublicJwk, generateKeyPair, importPublicJwk, publicKeyBase64url } from "./keys.ts";
import { AUDIENCE, claimsOf, EXECUTION, fixture, ISSUER, T0 } from "./test-fixtures.ts";
import { verifyToken } from "./token.ts";

const verifyWith = (f: ReturnType<typeof fixture>, token: string) =>
  verifyToken(token, { keys: f.options.keys, issuer: ISSUER, audience: AUDIENCE, clock: f.clock, maxTtlSeconds: 3600, skewSeconds: 5 });

describe("security token", () => {
  it("carries the claims the gateway issued, and the agent's key as cnf", () => {
    const f = fixture();
    const result = verifyWith(f, f.token);
    expect(result).toMatchObject({ ok: true, claims: { iss: ISSUER, aud: AUDIENCE, sub: "team-a/coder", scope: "tool-calls", execution: EXECUTION, iteration: 1, iat: T0 / 1000, exp: T0 / 1000 + 600 } });
    expect(claimsOf(f.token).cnf).toEqual({ jwk: exportPublicJwk(f.agent.publicKey) });
    expect(result.ok && exportPublicJwk(result.agentKey)).toEqual(exportPublicJwk(f.agent.publicKey));
    expect(JSON.parse(Buffer.from(f.token.split(".")[0]!, "base64url").toString())).toEqual({ alg: "EdDSA", typ: "JWT", kid: "gw-1" });
  });

  it("gives every token its own jti", () => {
    const f = fixture();
    expect(claimsOf(f.issue()).jti).not.toBe(claimsOf(f.issue()).jti);
  });

  it("is valid until the second before exp, and expired at exp", () => {
    const f = fixture();
    f.now = T0 + 599_999;
    expect(verifyWith(f, f.token).ok).toBe(true);
    f.now = T0 + 600_000;
    expect(verifyWith(f, f.token)).toMatchObject({ ok: false, code: "TokenExpired" });
  });

  it.each(["a.b", "a.b.c.d", "", "%%.e30.AA"])("refuses %j as malformed", (token) => {
    expect(verifyWith(fixture(), token)).toMatchObject({ ok: false, code: "MalformedToken" });
  });
});

describe("keys and base64url", () => {
  it("round-trips an Ed25519 public key through its JWK", () => {
    const { publicKey } = generateKeyPair();
    const jwk = exportPublicJwk(publicKey);
    expect(jwk.x).toBe(publicKeyBase64url(publicKey));
    expect(decodeFixed(jwk.x, 32)).toBeDefined();
    expect(exportPublicJwk(importPublicJwk(jwk)!)).toEqual(jwk);
  });

  it.each([
    ["a private key", (jwk: object) => ({ ...jwk, d: "AAAA" })],
    ["another curve", (jwk: object) => ({ ...jwk, crv: "X25519" })],
    ["a short x", (jwk: object) => ({ ...jwk, x: "AAAA" })],
    ["not an object", () => "key"],
  ])("refuses a JWK with %s", (_name, change) => {
    expect(importPublicJwk(change(exportPublicJwk(generateKeyPair().publicKey)))).toBeUndefined();
  });

  it("accepts only the one canonical base64url spelling", () => {
    expect(encodeBase64url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
    expect(decodeBase64url("-_8")).toEqual(Buffer.from([0xfb, 0xff]));
    for (const text of ["-_8=", "+/8", "-_9", "A", "a b"]) expect(decodeBase64url(text), text).toBeUndefined();
  });
});
