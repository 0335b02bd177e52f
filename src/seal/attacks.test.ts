// The attack table: each hostile request is refused with its documented code, and a refused
// envelope never takes a place in the replay cache.
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "./base64url.ts";
import { SEAL_CODES, type SealCode } from "./codes.ts";
import type { Envelope } from "./envelope.ts";
import { exportPublicJwk, generateKeyPair } from "./keys.ts";
import { signEnvelope, encodeEnvelope } from "./sign.ts";
import { AUDIENCE, claimsOf, EXECUTION, fixture, ISSUER, PAYLOAD, rawJwt, ROUTE, T0, type Fixture } from "./test-fixtures.ts";
import { createTokenCache } from "./token-cache.ts";
import { verifyEnvelope, type VerifyOptions } from "./verify.ts";

const edit = (body: string, change: (e: Record<string, unknown>) => void) => {
  const e = JSON.parse(body) as Record<string, unknown>;
  change(e);
  return JSON.stringify(e);
};
const validClaims = (f: Fixture) => claimsOf(f.token);
const header = { alg: "EdDSA", typ: "JWT", kid: "gw-1" };

interface Attack {
  readonly name: string;
  readonly code: SealCode;
  /** The hostile body; may move the fixture's clock. */
  readonly body: (f: Fixture) => string | Uint8Array;
}

const attacks: Attack[] = [
  { name: "forged signature", code: "BadSignature", body: (f) => edit(f.body(), (e) => (e.signature = encodeBase64url(randomBytes(64)))) },
  { name: "signed with a key other than the token's cnf", code: "BadSignature", body: (f) => f.body(PAYLOAD, { privateKey: generateKeyPair().privateKey }) },
  { name: "tampered payload", code: "BadSignature", body: (f) => edit(f.body(), (e) => (e.payload = (e.payload as string).replace("a.txt", "b.txt"))) },
  { name: "tampered timestamp", code: "BadSignature", body: (f) => edit(f.body(), (e) => (e.timestamp = (e.timestamp as number) + 1)) },
  { name: "tampered nonce", code: "BadSignature", body: (f) => edit(f.body(), (e) => (e.nonce = encodeBase64url(randomBytes(16)))) },
  {
    name: "a stolen token with the thief's key (token of the same execution, another cnf)",
    code: "BadSignature",
    body: (f) => f.body(PAYLOAD, { token: f.token, privateKey: generateKeyPair().privateKey }),
  },
  {
    name: "another valid token swapped into a signed envelope",
    code: "BadSignature",
    body: (f) => edit(f.body(), (e) => (e.token = f.issue({ publicKey: generateKeyPair().publicKey }))),
  },
  { name: "envelope for another route (a tool call replayed as its result)", code: "BadSignature", body: (f) => encodeEnvelope(signEnvelope(PAYLOAD, { route: "POST /v1/tool-calls/1/result", token: f.token, privateKey: f.agent.privateKey, clock: f.clock })) },
  { name: "stale timestamp (31 s old)", code: "StaleTimestamp", body: (f) => f.body(PAYLOAD, { at: f.now - 31_000 }) },
  { name: "future timestamp (31 s ahead)", code: "FutureTimestamp", body: (f) => f.body(PAYLOAD, { at: f.now + 31_000 }) },
  {
    name: "expired token",
    code: "TokenExpired",
    body: (f) => {
      const token = f.issue({ ttlSeconds: 60 });
      f.now += 60_000;
      return f.body(PAYLOAD, { token });
    },
  },
  {
    name: "token issued in the future",
    code: "TokenNotYetValid",
    body: (f) => f.body(PAYLOAD, { token: rawJwt(header, { ...validClaims(f), iat: T0 / 1000 + 60, exp: T0 / 1000 + 600 }, f.gateway.privateKey) }),
  },
  { name: "wrong audience", code: "WrongAudience", body: (f) => f.body(PAYLOAD, { token: f.issue({ audience: "another-service" }) }) },
  { name: "wrong issuer", code: "WrongIssuer", body: (f) => f.body(PAYLOAD, { token: f.issue({ issuer: "someone-else" }) }) },
  { name: "token of another execution", code: "TokenForAnotherExecution", body: (f) => f.body(PAYLOAD, { token: f.issue({ execution: "team-b/other" }) }) },
  { name: "token of another iteration", code: "TokenForAnotherExecution", body: (f) => f.body(PAYLOAD, { token: f.issue({ iteration: 2 }) }) },
  { name: "token without the tool-calls grant", code: "InsufficientScope", body: (f) => f.body(PAYLOAD, { token: f.issue({ scope: "attest" }) }) },
  {
    name: 'token alg "none"',
    code: "UnsupportedTokenAlgorithm",
    body: (f) => f.body(PAYLOAD, { token: rawJwt({ alg: "none", typ: "JWT", kid: "gw-1" }, validClaims(f), { signature: "" }) }),
  },
  {
    name: "token HS256 keyed with the gateway's public key (algorithm confusion)",
    code: "UnsupportedTokenAlgorithm",
    body: (f) => {
      const h = { alg: "HS256", typ: "JWT", kid: "gw-1" };
      const input = rawJwt(h, { ...validClaims(f), execution: "team-b/other" }, { signature: "" }).slice(0, -1);
      const mac = createHmac("sha256", f.gateway.publicKey.export({ format: "der", type: "spki" })).update(input).digest();
      return f.body(PAYLOAD, { token: `${input}.${encodeBase64url(mac)}` });
    },
  },
  {
    name: "tampered token claims (execution rewritten, signature kept)",
    code: "BadTokenSignature",
    body: (f) => {
      const [h, , s] = f.token.split(".");
      const claims = encodeBase64url(Buffer.from(JSON.stringify({ ...validClaims(f), execution: "team-b/other" })));
      return f.body(PAYLOAD, { token: `${h}.${claims}.${s}` });
    },
  },
  { name: "token signed by an attacker under the gateway's kid", code: "BadTokenSignature", body: (f) => f.body(PAYLOAD, { token: rawJwt(header, validClaims(f), generateKeyPair().privateKey) }) },
  { name: "token under an unknown kid", code: "UnknownKey", body: (f) => f.body(PAYLOAD, { token: rawJwt({ ...header, kid: "gw-9" }, validClaims(f), f.gateway.privateKey) }) },
  {
    name: "token carrying its own verification key (jwk header)",
    code: "MalformedToken",
    body: (f) => {
      const evil = generateKeyPair();
      return f.body(PAYLOAD, { token: rawJwt({ ...header, jwk: exportPublicJwk(evil.publicKey) }, validClaims(f), evil.privateKey) });
    },
  },
  { name: "token with a 2-day lifetime", code: "InvalidClaims", body: (f) => f.body(PAYLOAD, { token: f.issue({ ttlSeconds: 2 * 86_400 }) }) },
  {
    name: "token without cnf",
    code: "InvalidClaims",
    body: (f) => {
      const { cnf: _cnf, ...claims } = validClaims(f);
      return f.body(PAYLOAD, { token: rawJwt(header, claims, f.gateway.privateKey) });
    },
  },
  {
    name: "replayed envelope",
    code: "ReplayedNonce",
    body: (f) => {
      const body = f.body();
      expect(verifyEnvelope(body, f.options).ok).toBe(true);
      f.now += 10_000;
      return body;
    },
  },
  {
    name: "replay cache full of live nonces",
    code: "ReplayCacheFull",
    body: (f) => {
      for (let i = 0; i < 3; i += 1) expect(verifyEnvelope(f.body(), f.options).ok).toBe(true);
      return f.body();
    },
  },
  { name: "oversized payload", code: "PayloadTooLarge", body: (f) => f.body({ ...PAYLOAD, arguments: { content: "x".repeat(1024 * 1024) } }) },
  { name: "malformed JSON", code: "MalformedEnvelope", body: (f) => f.body().slice(0, -1) },
  { name: "not UTF-8", code: "MalformedEnvelope", body: (f) => Buffer.concat([Buffer.from(f.body().slice(0, 20)), Buffer.from([0xff, 0xfe])]) },
  { name: "an array instead of an envelope", code: "MalformedEnvelope", body: (f) => `[${f.body()}]` },
  { name: "an unknown extra field", code: "MalformedEnvelope", body: (f) => edit(f.body(), (e) => (e.protocol = "seal/v1")) },
  ...(["token", "payload", "timestamp", "nonce", "signature"] as const).map(
    (field): Attack => ({ name: `missing ${field}`, code: "MissingField", body: (f) => edit(f.body(), (e) => delete e[field]) }),
  ),
  { name: "timestamp as an ISO string", code: "InvalidField", body: (f) => edit(f.body(), (e) => (e.timestamp = new Date(f.now).toISOString())) },
  { name: "short nonce", code: "InvalidField", body: (f) => edit(f.body(), (e) => (e.nonce = encodeBase64url(randomBytes(8)))) },
  { name: "padded base64 signature", code: "InvalidField", body: (f) => edit(f.body(), (e) => (e.signature = `${e.signature as string}==`)) },
  { name: "payload as an object instead of canonical text", code: "InvalidField", body: (f) => edit(f.body(), (e) => (e.payload = PAYLOAD)) },
  { name: "payload with whitespace", code: "NonCanonicalPayload", body: (f) => edit(f.body(), (e) => (e.payload = JSON.stringify(PAYLOAD, null, 1))) },
  { name: "payload with unsorted keys", code: "NonCanonicalPayload", body: (f) => edit(f.body(), (e) => (e.payload = '{"seq":1,"name":"fs.read","arguments":{}}')) },
  { name: "payload with a duplicate key", code: "NonCanonicalPayload", body: (f) => edit(f.body(), (e) => (e.payload = '{"name":"fs.read","name":"cmd.run"}')) },
  { name: "payload 1.0 instead of 1", code: "NonCanonicalPayload", body: (f) => edit(f.body(), (e) => (e.payload = '{"seq":1.0}')) },
  { name: "payload with a lone surrogate", code: "InvalidPayload", body: (f) => edit(f.body(), (e) => (e.payload = '{"path":"\\ud800"}')) },
  { name: "payload not JSON", code: "InvalidPayload", body: (f) => edit(f.body(), (e) => (e.payload = "{seq:1}")) },
  { name: "payload number overflowing to Infinity", code: "InvalidPayload", body: (f) => edit(f.body(), (e) => (e.payload = "1e400")) },
];

describe("SEAL attack table", () => {
  it("has at least 15 attacks and every code in it is documented in docs/seal.md", () => {
    expect(attacks.length).toBeGreaterThanOrEqual(15);
    const doc = readFileSync(new URL("../../docs/seal.md", import.meta.url), "utf8");
    for (const code of Object.keys(SEAL_CODES)) expect(doc, code).toContain(`\`${code}\``);
  });

  // Each attack twice: verifying every token, and with a token cache already holding the honest token.
  const runs = attacks.flatMap((a) => [{ ...a, cached: false }, { ...a, cached: true }]);
  it.each(runs)("$name → $code (token cache: $cached)", (attack) => {
    const f = fixture(attack.code === "ReplayCacheFull" ? 3 : 1000);
    if (attack.cached) {
      const tokens = createTokenCache(100);
      expect(tokens.authenticate(f.token, f.options.keys).ok).toBe(true);
      (f as { options: VerifyOptions }).options = { ...f.options, tokens };
    }
    const body = attack.body(f);
    const before = f.options.nonces.size;
    const result = verifyEnvelope(body, f.options);
    expect(result).toMatchObject({ ok: false, code: attack.code });
    expect(f.options.nonces.size).toBe(before);
  });

  it("accepts the honest envelope and hands back its payload and claims", () => {
    const f = fixture();
    const result = verifyEnvelope(f.body(), f.options);
    expect(result).toMatchObject({ ok: true, payload: PAYLOAD, claims: { execution: EXECUTION, iteration: 1, iss: ISSUER, aud: AUDIENCE } });
    expect(f.options.nonces.size).toBe(1);
  });

  it("accepts the edges of the window: exactly 30 s old and exactly 30 s ahead", () => {
    const f = fixture();
    expect(verifyEnvelope(f.body(PAYLOAD, { at: f.now - 30_000 }), f.options).ok).toBe(true);
    expect(verifyEnvelope(f.body(PAYLOAD, { at: f.now + 30_000 }), f.options).ok).toBe(true);
  });

  it("accepts the same nonce again once its retention has passed, and the envelope key order does not matter", () => {
    const f = fixture();
    const envelope = JSON.parse(f.body()) as Envelope;
    expect(verifyEnvelope(encodeEnvelope(envelope), f.options).ok).toBe(true);
    // Re-signed with the same nonce 61 s later: the old record is gone, and the new one is fresh.
    f.now += 61_000;
    const again = signEnvelope(PAYLOAD, { route: ROUTE, token: f.issue(), privateKey: f.agent.privateKey, clock: f.clock, nonce: envelope.nonce });
    const reordered = JSON.stringify({ signature: again.signature, nonce: again.nonce, timestamp: again.timestamp, payload: again.payload, token: again.token });
    expect(verifyEnvelope(reordered, f.options).ok).toBe(true);
  });

  it("accepts a token rotated to a second gateway key while the first is still listed", () => {
    const f = fixture();
    const next = generateKeyPair();
    const token = rawJwt({ ...header, kid: "gw-2" }, validClaims(f), next.privateKey);
    const options = { ...f.options, keys: new Map([...f.options.keys, ["gw-2", next.publicKey]]) };
    expect(verifyEnvelope(f.body(PAYLOAD, { token }), options).ok).toBe(true);
  });
});
