import { describe, expect, it } from "vitest";
import { canonicalize, isCanonical, MAX_DEPTH } from "./canonical.ts";

describe("canonical JSON", () => {
  it("sorts keys at every level and writes no whitespace", () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: null, y: true }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
  });

  it("sorts keys by UTF-16 code units (an astral character before U+FFFF, uppercase before lowercase)", () => {
    expect(canonicalize({ "\uffff": 1, "\u{1F600}": 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1F600}":2,"\uffff":1}');
  });

  it("prints numbers as JSON.stringify does, with -0 as 0", () => {
    expect(canonicalize([1, 1.5, -0, 1e21, 1e-7, 0.1 + 0.2, -3])).toBe("[1,1.5,0,1e+21,1e-7,0.30000000000000004,-3]");
  });

  it("escapes quotes, backslashes and control characters, and keeps other characters literal", () => {
    expect(canonicalize('a"b\\c\n\u0001é\u{1F600}\u2028')).toBe('"a\\"b\\\\c\\n\\u0001é\u{1F600}\u2028"');
  });

  it.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", [-Infinity]],
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate in a key", { "\udc00": 1 }],
    ["undefined", { a: undefined }],
    ["a function", () => 1],
    ["a bigint", 1n],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
  ])("refuses %s", (_name, value) => {
    expect(() => canonicalize(value)).toThrow();
  });

  it(`accepts nesting ${MAX_DEPTH} deep and refuses one more`, () => {
    const nest = (depth: number): unknown => (depth === 0 ? 0 : [nest(depth - 1)]);
    expect(canonicalize(nest(MAX_DEPTH))).toHaveLength(2 * MAX_DEPTH + 1);
    expect(() => canonicalize(nest(MAX_DEPTH + 1))).toThrow(/deeper/);
  });

  it("accepts objects without a prototype (as JSON.parse never makes, but callers may)", () => {
    const o = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalize(o)).toBe('{"a":1,"b":2}');
  });

  it("isCanonical accepts exactly the canonical spelling", () => {
    expect(isCanonical('{"a":1,"b":[true]}')).toBe(true);
    for (const text of ['{"b":1,"a":2}', '{"a": 1}', '{"a":1.0}', '{"a":1,"a":1}', '"\\u0041"', "{a:1}", '"\\ud800"']) {
      expect(isCanonical(text), text).toBe(false);
    }
  });
});
