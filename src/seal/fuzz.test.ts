// Properties over generated inputs: canonical JSON is a fixed point, the envelope verifier is
// total (any input → accepted, or refused with a documented code; never an exception), and what
// the pod signs the gateway accepts with the same payload.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize } from "./canonical.ts";
import { SEAL_CODES } from "./codes.ts";
import { FIELDS } from "./envelope.ts";
import { fixture } from "./test-fixtures.ts";
import { verifyEnvelope } from "./verify.ts";

const json = fc.jsonValue({ maxDepth: 6 });
// Every UTF-16 code unit, lone surrogates included.
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 });

function refusedWithDocumentedCode(result: ReturnType<typeof verifyEnvelope>): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(Object.keys(SEAL_CODES)).toContain(result.code);
}

describe("SEAL properties", () => {
  it("canonical(parse(canonical(x))) equals canonical(x)", () => {
    fc.assert(
      fc.property(json, (x) => {
        const once = canonicalize(x);
        expect(canonicalize(JSON.parse(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it("canonical JSON does not depend on key insertion order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 8 }), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(o));
      }),
    );
  });

  it("refuses any text or bytes with a documented code and never throws", () => {
    const f = fixture();
    const envelopeLike = fc
      .dictionary(fc.constantFrom(...FIELDS, "extra"), fc.oneof(json, anyText), { maxKeys: 6 })
      .map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(anyText, fc.uint8Array({ maxLength: 300 }), envelopeLike), (body) => {
        refusedWithDocumentedCode(verifyEnvelope(body, f.options));
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses every one-character change to a signed envelope", () => {
    const f = fixture();
    const body = f.body();
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), anyText.filter((s) => s.length === 1), (at, c) => {
        fc.pre(body[at] !== c);
        refusedWithDocumentedCode(verifyEnvelope(body.slice(0, at) + c + body.slice(at + 1), f.options));
      }),
      { numRuns: 1000 },
    );
    expect(f.options.nonces.size).toBe(0);
  });

  it("accepts what the pod signs, with the same payload", () => {
    const f = fixture(100_000);
    fc.assert(
      fc.property(json, (payload) => {
        const result = verifyEnvelope(f.body(payload), f.options);
        expect(result.ok).toBe(true);
        if (result.ok) expect(canonicalize(result.payload)).toBe(canonicalize(payload));
      }),
      { numRuns: 300 },
    );
  });
});
