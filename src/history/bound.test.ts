import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, boundJson, boundText, storableText, utf8Prefix, type JsonValue } from "./bound.ts";

function nested(depth: number): JsonValue {
  let value: JsonValue = "leaf";
  for (let i = 0; i < depth; i++) value = { a: [value] };
  return value;
}

describe("storableText", () => {
  it.each([
    { reason: "NUL", input: "a\u0000b", want: "a\ufffdb" },
    { reason: "a lone high surrogate", input: "x\ud800", want: "x\ufffd" },
    { reason: "a lone low surrogate", input: "\udc00y", want: "\ufffdy" },
    { reason: "a valid pair stays", input: "😀", want: "😀" },
    { reason: "plain text stays", input: "héllo", want: "héllo" },
  ])("handles $reason", ({ input, want }) => {
    expect(storableText(input)).toBe(want);
  });
});

describe("utf8Prefix / boundText", () => {
  it("never splits a character", () => {
    expect(utf8Prefix("a😀b", 4)).toBe("a");
    expect(utf8Prefix("a😀b", 5)).toBe("a😀");
  });

  it("flags truncation only when something was cut", () => {
    expect(boundText("short", 10)).toEqual({ value: "short", truncated: false });
    expect(boundText("x".repeat(20), 10)).toEqual({ value: "x".repeat(10), truncated: true });
  });
});

describe("boundJson", () => {
  it("keeps a small value as it is", () => {
    expect(boundJson({ a: [1, "b", null, true] }, 1024)).toEqual({ value: { a: [1, "b", null, true] }, truncated: false });
  });

  it("replaces a too-large value by a flagged preview within the cap", () => {
    const { value, truncated } = boundJson({ blob: "x".repeat(100_000) }, 1024);
    expect(truncated).toBe(true);
    expect(value).toMatchObject({ truncated: true, originalBytes: 100_011 });
    expect(Buffer.byteLength(JSON.stringify(value))).toBeLessThan(1024 + 100);
  });

  it("cuts nesting deeper than the limit and flags it", () => {
    const { value, truncated } = boundJson(nested(MAX_JSON_DEPTH + 10), 1 << 20);
    expect(truncated).toBe(true);
    expect(JSON.stringify(value)).toContain("[truncated: too deep]");
  });

  it("keeps a __proto__ key as data", () => {
    const input = JSON.parse('{"__proto__": {"x": 1}}') as JsonValue;
    expect(JSON.stringify(boundJson(input, 1024).value)).toBe('{"__proto__":{"x":1}}');
  });

  it("never throws, and always stays within cap + envelope (fast-check)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }) as fc.Arbitrary<JsonValue>, fc.integer({ min: 16, max: 4096 }), (input, cap) => {
        const { value, truncated } = boundJson(input, cap);
        const bytes = Buffer.byteLength(JSON.stringify(value));
        if (!truncated) expect(bytes).toBeLessThanOrEqual(cap);
        else expect(value).toMatchObject({ truncated: true });
      }),
    );
  });
});
