import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandVars } from "./expand.ts";

const vars = new Map([
  ["A", "alpha"],
  ["B", "$(A)"],
  ["EMPTY", ""],
]);
const lookup = (name: string): string | undefined => vars.get(name);

describe("expandVars", () => {
  it.each([
    ["$(A)", "alpha", "a known variable"],
    ["x-$(A)-y", "x-alpha-y", "inside text"],
    ["$(A)$(A)", "alphaalpha", "twice"],
    ["$(UNKNOWN)", "$(UNKNOWN)", "an unknown variable stays"],
    ["$$(A)", "$(A)", "$$ escapes"],
    ["$$$(A)", "$alpha", "an escape then a reference"],
    ["$$", "$", "a lone escape"],
    ["$A", "$A", "no parentheses"],
    ["$(A", "$(A", "unterminated"],
    ["a$", "a$", "a trailing $"],
    ["$()", "$()", "an empty name"],
    ["$(B)", "$(A)", "values are not expanded again"],
    ["$(EMPTY)x", "x", "an empty value"],
  ])("given %j, returns %j (%s)", (input, expected) => {
    expect(expandVars(input, lookup)).toBe(expected);
  });

  it("leaves strings without $ unchanged", () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes("$")), (s) => expandVars(s, lookup) === s));
  });

  it("never makes a string longer when nothing is defined", () => {
    // With no variables, only `$$` changes: it becomes `$`.
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = expandVars(s, () => undefined);
        return out.length <= s.length;
      }),
    );
  });

  it("substitutes a reference wherever it appears between literal text", () => {
    const literal = fc.string().filter((s) => !s.includes("$") && !s.includes("("));
    fc.assert(
      fc.property(literal, literal, fc.stringMatching(/^[A-Z_][A-Z0-9_]*$/), fc.string(), (pre, post, name, value) => {
        const out = expandVars(`${pre}$(${name})${post}`, (n) => (n === name ? value : undefined));
        return out === `${pre}${value}${post}`;
      }),
    );
  });

  it("never throws, whatever the input", () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("$", "(", ")", "A", "x") }), (s) => typeof expandVars(s, lookup) === "string"));
  });
});
