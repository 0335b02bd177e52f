import { generateKeyPair } from "./keys.ts";
import { describe, expect, it } from "vitest";
import { fixture, T0 } from "./test-fixtures.ts";
import { createTokenCache } from "./token-cache.ts";
import { verifyEnvelope } from "./verify.ts";

describe("token cache", () => {
  it("keeps authenticated tokens, and only those", () => {
    const f = fixture();
    const tokens = createTokenCache(10);
    expect(tokens.authenticate(f.token, f.options.keys).ok).toBe(true);
    expect(tokens.authenticate(`${f.token.slice(0, -4)}AAAA`, f.options.keys)).toMatchObject({ ok: false, code: "BadTokenSignature" });
    expect(tokens.size).toBe(1);
  });

  it("answers a cached token as refused once the gateway stops listing the key that signed it", () => {
    const f = fixture();
    const tokens = createTokenCache(10);
    tokens.authenticate(f.token, f.options.keys);
    expect(tokens.authenticate(f.token, new Map([["gw-1", generateKeyPair().publicKey]]))).toMatchObject({ ok: false, code: "BadTokenSignature" });
    expect(tokens.authenticate(f.token, new Map())).toMatchObject({ ok: false, code: "UnknownKey" });
  });

  it("still checks expiry on every call", () => {
    const f = fixture();
    const options = { ...f.options, tokens: createTokenCache(10) };
    expect(verifyEnvelope(f.body(), options).ok).toBe(true);
    f.now = T0 + 600_000;
    expect(verifyEnvelope(f.body(), options)).toMatchObject({ ok: false, code: "TokenExpired" });
  });

  it("holds at most its capacity, dropping the oldest", () => {
    const f = fixture();
    const tokens = createTokenCache(2);
    const [a, b, c] = [f.issue(), f.issue(), f.issue()];
    for (const t of [a, b, c]) tokens.authenticate(t, f.options.keys);
    expect(tokens.size).toBe(2);
    // a was dropped and is verified again (and cached again); c stays.
    expect(tokens.authenticate(a, f.options.keys).ok).toBe(true);
    expect(tokens.size).toBe(2);
  });
});
