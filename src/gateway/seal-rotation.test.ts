// Rotation of the gateway's token signing key (docs/seal.md §8): the Secret's data after a
// rotation, and a gateway holding a rotated key — new tokens signed with the newest key, tokens of
// the previous key verified until they expire, the previous key dropped after its retention.
import { describe, expect, it } from "vitest";
import { exportPublicJwk, generateKeyPair } from "../seal/keys.ts";
import { issueToken } from "../seal/token.ts";
import type { ExecutionGrant } from "./credentials.ts";
import { envelope, type AttackPod } from "./test-seal-attacks.ts";
import { sameKeys } from "./seal-key-refresh.ts";
import { keyCreatedAt, keyFromSecret, nextKid, rotatedKeyData } from "./seal-kube.ts";
import { createGatewaySeal, SEAL_AUDIENCE, SEAL_ISSUER, SEAL_KEY_RETENTION_MS, verificationKeys, type SealSigningKey } from "./seal.ts";

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const HOUR = 3_600_000;
const secretOf = (data: Record<string, string>) => ({ metadata: {}, data });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const legacyData = () => ({ "private.pem": b64(generateKeyPair().privateKey.export({ format: "pem", type: "pkcs8" }).toString()), kid: b64("gw-1") });
const loaded = (data: Record<string, string>): SealSigningKey => keyFromSecret(secretOf(data))!;
const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
const spki = (key: SealSigningKey) => key.publicKey.export({ format: "der", type: "spki" }).toString("hex");

describe("the signing key Secret across rotations", () => {
  it("a rotation signs with a fresh key under the next kid and keeps the old public key, retired now", () => {
    const before = loaded(legacyData());
    const data = rotatedKeyData({ "private.pem": b64(before.privateKey.export({ format: "pem", type: "pkcs8" }).toString()), kid: b64("gw-1") }, generateKeyPair(), T0);
    const after = loaded(data);
    expect(after.kid).toBe("gw-2");
    expect(spki(after)).not.toBe(spki(before));
    expect(keyCreatedAt(secretOf(data))).toBe(T0);
    expect(after.previous?.map((k) => [k.kid, k.retiredAt, k.publicKey.export({ format: "der", type: "spki" }).toString("hex")])).toEqual([["gw-1", T0, spki(before)]]);
    // Only the public half of a retired key is kept.
    expect(Buffer.from(data["previous.json"]!, "base64").toString()).not.toContain("PRIVATE");
  });

  it("retired keys are kept for one token lifetime, then dropped at the next rotation", () => {
    const second = rotatedKeyData(legacyData(), generateKeyPair(), T0);
    const thirdSoon = rotatedKeyData(second, generateKeyPair(), T0 + HOUR / 2);
    expect(loaded(thirdSoon).previous?.map((k) => k.kid)).toEqual(["gw-2", "gw-1"]);
    const thirdLate = rotatedKeyData(second, generateKeyPair(), T0 + HOUR);
    expect(loaded(thirdLate).previous?.map((k) => k.kid)).toEqual(["gw-2"]);
  });

  it("a Secret without a key starts at gw-1; kids count up; unreadable retired entries are ignored", () => {
    expect(loaded(rotatedKeyData({}, generateKeyPair(), T0)).kid).toBe("gw-1");
    expect([nextKid("gw-9"), nextKid("gw-local"), nextKid("gw-local-2")]).toEqual(["gw-10", "gw-local-2", "gw-local-3"]);
    const data = { ...legacyData(), "previous.json": b64(JSON.stringify([{ kid: "x", publicKey: "not a pem", retiredAt: "2026-01-01T00:00:00Z" }, { kid: "y" }])) };
    expect(loaded(data).previous).toEqual([]);
    expect(loaded({ ...legacyData(), "previous.json": b64("{") }).previous).toEqual([]);
    expect(keyCreatedAt(secretOf(legacyData()))).toBeUndefined();
  });

  it("verification keys: the signing key and the retired keys within their retention", () => {
    const key = loaded(rotatedKeyData(legacyData(), generateKeyPair(), T0));
    expect([...verificationKeys(key, T0 + SEAL_KEY_RETENTION_MS - 1).keys()].sort()).toEqual(["gw-1", "gw-2"]);
    expect([...verificationKeys(key, T0 + SEAL_KEY_RETENTION_MS).keys()]).toEqual(["gw-2"]);
  });
});

describe("a gateway whose key was rotated", () => {
  const NS = "team-r";
  const grant: ExecutionGrant = {
    token: "bearer", namespace: NS, execution: "run", agent: "coder", uid: "exec-uid", iteration: 1, model: "m", agentTools: ["fs.*"],
    payload: { systemPrompt: "", task: "", tools: [] },
  };
  const agent = generateKeyPair();
  const oldPair = generateKeyPair();
  const oldData = { "private.pem": b64(oldPair.privateKey.export({ format: "pem", type: "pkcs8" }).toString()), kid: b64("gw-1") };
  const rotatedAt = T0;
  const key = loaded(rotatedKeyData(oldData, generateKeyPair(), rotatedAt));
  let now = rotatedAt;
  const seal = createGatewaySeal({
    signingKey: key, clock: () => now,
    tokenReview: () => Promise.resolve({
      authenticated: true, audiences: [SEAL_AUDIENCE],
      user: { username: `system:serviceaccount:${NS}:default`, extra: { "authentication.kubernetes.io/pod-name": ["run-1"], "authentication.kubernetes.io/pod-uid": ["pod-uid"] } },
    }),
    podOf: () => Promise.resolve({ uid: "pod-uid", executionUid: grant.uid, iteration: 1 }),
  }, () => grant);
  /** A token the old gateway key signed for the agent's key at `at`. */
  const oldToken = (at: number, ttlSeconds = 600) => issueToken(
    { sub: `${NS}/coder`, scope: "tool-calls", execution: `${NS}/run`, iteration: 1, publicKey: agent.publicKey },
    { issuer: SEAL_ISSUER, audience: SEAL_AUDIENCE, ttlSeconds, signingKey: { kid: "gw-1", privateKey: oldPair.privateKey }, clock: () => at },
  ).token;
  const pod = (token: string): AttackPod => ({ namespace: NS, execution: "run", uid: grant.uid, iteration: 1, bearer: "bearer", keys: agent, token });
  const call = (token: string, seq: number) => seal.verify(envelope(pod(token), { seq, name: "fs.read", arguments: { path: "/workspace/a" } }, now), "POST /v1/tool-calls", grant);

  it("issues new tokens with the newest key", async () => {
    const answer = await seal.attest({ serviceAccountToken: "sa", publicKey: exportPublicJwk(agent.publicKey) });
    expect(answer.ok).toBe(true);
    if (answer.ok) {
      expect(kidOf(answer.token)).toBe("gw-2");
      expect(call(answer.token, 1)).toMatchObject({ ok: true });
    }
  });

  it("verifies a token of the previous key until it expires, then refuses it as expired", () => {
    const token = oldToken(rotatedAt - 60_000);
    now = rotatedAt + 500_000;
    expect(call(token, 2)).toMatchObject({ ok: true });
    now = rotatedAt + 541_000;
    expect(call(token, 3)).toMatchObject({ ok: false, code: "TokenExpired" });
  });

  it("stops trusting the previous key once no token it signed can be live: a token it mints then is UnknownKey", () => {
    now = rotatedAt + SEAL_KEY_RETENTION_MS - 1000;
    const lastMinute = oldToken(now - 1000);
    expect(call(lastMinute, 4)).toMatchObject({ ok: true });
    now = rotatedAt + SEAL_KEY_RETENTION_MS;
    expect(call(lastMinute, 5)).toMatchObject({ ok: false, code: "UnknownKey" });
    expect(call(oldToken(now), 6)).toMatchObject({ ok: false, code: "UnknownKey" });
  });
});

describe("a gateway given its key as a function (the operator's refresh)", () => {
  it("signs new tokens with a rotated key at once and still verifies the tokens of the key it replaced", async () => {
    const NS = "team-f";
    const grant: ExecutionGrant = {
      token: "bearer", namespace: NS, execution: "run", agent: "coder", uid: "exec-f", iteration: 1, model: "m", agentTools: ["fs.*"],
      payload: { systemPrompt: "", task: "", tools: [] },
    };
    const oldData = rotatedKeyData({}, generateKeyPair(), T0);
    let key = loaded(oldData);
    const seal = createGatewaySeal({
      signingKey: () => key, clock: () => T0,
      tokenReview: () => Promise.resolve({
        authenticated: true, audiences: [SEAL_AUDIENCE],
        user: { username: `system:serviceaccount:${NS}:default`, extra: { "authentication.kubernetes.io/pod-name": ["run-1"], "authentication.kubernetes.io/pod-uid": ["pod-f"] } },
      }),
      podOf: () => Promise.resolve({ uid: "pod-f", executionUid: grant.uid, iteration: 1 }),
    }, () => grant);
    const agent = generateKeyPair();
    const attestNow = async () => {
      const answer = await seal.attest({ serviceAccountToken: "sa", publicKey: exportPublicJwk(agent.publicKey) });
      if (!answer.ok) throw new Error(answer.message);
      return answer.token;
    };
    const call = (token: string, seq: number) => seal.verify(envelope({ namespace: NS, execution: "run", uid: grant.uid, iteration: 1, bearer: "bearer", keys: agent, token }, { seq, name: "fs.read", arguments: { path: "/workspace/a" } }, T0), "POST /v1/tool-calls", grant);
    const before = await attestNow();
    expect(call(before, 1)).toMatchObject({ ok: true });
    key = loaded(rotatedKeyData(oldData, generateKeyPair(), T0));
    const after = await attestNow();
    expect([kidOf(before), kidOf(after)]).toEqual(["gw-1", "gw-2"]);
    expect(call(before, 2)).toMatchObject({ ok: true });
    expect(call(after, 3)).toMatchObject({ ok: true });
    // A Secret deleted and created again: gw-1 names another key now, and the token cached under the old one no longer counts.
    key = loaded(rotatedKeyData({}, generateKeyPair(), T0));
    expect(call(before, 4)).toMatchObject({ ok: false, code: "BadTokenSignature" });
  });

  it("sameKeys: equal loads of one Secret are the same keys; a rotation is not", () => {
    const data = rotatedKeyData(legacyData(), generateKeyPair(), T0);
    expect(sameKeys(loaded(data), loaded(data))).toBe(true);
    expect(sameKeys(loaded(data), loaded(rotatedKeyData(data, generateKeyPair(), T0 + 1)))).toBe(false);
  });
});
