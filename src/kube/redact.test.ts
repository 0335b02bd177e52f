import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecrets, truncateUtf8 } from "./redact.ts";

describe("redactSecrets", () => {
  it.each([
    { input: "login failed: password=hunter2 for bob", leak: "hunter2" },
    { input: 'config {"apiKey": "abc123def"}', leak: "abc123def" },
    { input: "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstu", leak: "abcdefghijklmnopqrstu" },
    { input: "header Authorization: Bearer eyJhbGciOi.xyz.abc", leak: "eyJhbGciOi" },
    { input: "key sk-ant-api03-ABCDEFGHIJKLMNOPQRST in message", leak: "ABCDEFGHIJKLMNOPQRST" },
    { input: "GET https://user:s3cr3t@example.com/x failed", leak: "s3cr3t" },
    { input: "client_secret: 'zzzyyy'", leak: "zzzyyy" },
    { input: "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----", leak: "MIIEabc" },
    { input: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl", leak: "c2lnbmF0dXJl" },
  ])("removes the secret from $input", ({ input, leak }) => {
    const out = redactSecrets(input);
    expect(out).not.toContain(leak);
    expect(out).toContain("[REDACTED");
  });

  it("leaves ordinary text alone", () => {
    const text = "Model alias gpt-4 resolved to provider openai; Secret llm-keys is missing key OPENAI";
    expect(redactSecrets(text)).toBe(text);
  });

  it("is idempotent and never throws", () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const once = redactSecrets(s);
      expect(redactSecrets(once)).toBe(once);
    }));
  });
});

describe("truncateUtf8", () => {
  it("keeps short text and cuts long text at a character boundary", () => {
    expect(truncateUtf8("abc", 10)).toBe("abc");
    const cut = truncateUtf8("ééééé", 6);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(6);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("never exceeds the limit", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 4, max: 64 }), (s, max) => {
      expect(Buffer.byteLength(truncateUtf8(s, max))).toBeLessThanOrEqual(max);
    }));
  });
});
