// The pod's security token: shared by concurrent calls, attested again after 80 % of its
// lifetime on the pod's clock, at once after drop(), and never cached when attestation failed.
import { describe, expect, it } from "vitest";
import { createSealSession, tokenLifetimeMs } from "./seal-session.ts";

const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const signal = new AbortController().signal;

function attestor(lifetimeSeconds = 600) {
  const issued: string[] = [];
  let fail = false;
  return {
    issued,
    failNext: () => void (fail = true),
    attest: (): Promise<string> => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error("gateway away"));
      }
      const token = jwt({ iat: 1000 + issued.length, exp: 1000 + issued.length + lifetimeSeconds });
      issued.push(token);
      return Promise.resolve(token);
    },
  };
}

describe("the SEAL session of a pod", () => {
  it("reads a token's lifetime from its claims, or none", () => {
    expect(tokenLifetimeMs(jwt({ iat: 10, exp: 610 }))).toBe(600_000);
    for (const bad of ["x", "a.b.c", jwt({ iat: 10 }), jwt({ iat: 10, exp: 10 }), jwt({ iat: "10", exp: 20 })]) expect(tokenLifetimeMs(bad)).toBeUndefined();
  });

  it("attests once for concurrent calls and keeps the token until 80 % of its lifetime, then attests again", async () => {
    let now = 0;
    const a = attestor(600);
    const session = createSealSession(a.attest, () => now);
    const [t1, t2] = await Promise.all([session.token(signal), session.token(signal)]);
    expect([t1, t2]).toEqual([a.issued[0], a.issued[0]]);
    now = 479_999;
    expect(await session.token(signal)).toBe(a.issued[0]);
    now = 480_000;
    const [t3, t4] = await Promise.all([session.token(signal), session.token(signal)]);
    expect(a.issued).toHaveLength(2);
    expect([t3, t4]).toEqual([a.issued[1], a.issued[1]]);
    // The next refresh counts from the second attestation.
    now = 959_999;
    expect(await session.token(signal)).toBe(a.issued[1]);
    now = 960_000;
    expect(await session.token(signal)).toBe(a.issued[2]);
  });

  it("a short lifetime refreshes sooner; drop() attests at the next call; a failed attestation is not kept", async () => {
    let now = 0;
    const a = attestor(10);
    const session = createSealSession(a.attest, () => now);
    await session.token(signal);
    now = 8_000;
    expect(await session.token(signal)).toBe(a.issued[1]);
    session.drop();
    expect(await session.token(signal)).toBe(a.issued[2]);
    session.drop();
    a.failNext();
    await expect(session.token(signal)).rejects.toThrow("gateway away");
    expect(await session.token(signal)).toBe(a.issued[3]);
  });

  it("a token whose lifetime cannot be read is kept until the gateway refuses it", async () => {
    let now = 0;
    const session = createSealSession(() => Promise.resolve("opaque"), () => now);
    await session.token(signal);
    now = 10 ** 12;
    expect(await session.token(signal)).toBe("opaque");
  });
});
