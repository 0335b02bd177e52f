import { describe, expect, it } from "vitest";
import { validateExitCode } from "./exit-code.ts";
import { validateJsonSchema } from "./json-schema.ts";
import { MAX_REGEX_INPUT, validateRegex } from "./regex.ts";
import type { IterationResult, Validator } from "./types.ts";

const res = (output: string, exitCode: number | null = 0, extra: Partial<IterationResult> = {}): IterationResult => ({
  exitCode, output, ...extra,
});

describe("ExitCode", () => {
  it.each([
    { why: "exit 0 passes with the default expected code", v: {}, code: 0, passed: true },
    { why: "a non-zero exit fails with the default", v: {}, code: 1, passed: false },
    { why: "an explicit expected code passes when matched", v: { expected: 3 }, code: 3, passed: true },
    { why: "exit 0 fails when another code is expected", v: { expected: 3 }, code: 0, passed: false },
    { why: "no exit code (killed pod) never passes", v: {}, code: null, passed: false },
  ])("$why", ({ v, code, passed }) => {
    const r = validateExitCode({ type: "ExitCode", ...v }, res("", code));
    expect(r.passed).toBe(passed);
    expect(r.score).toBe(passed ? 1 : 0);
    expect(r.feedback === "").toBe(passed);
  });
});

describe("Regex", () => {
  const rx = (pattern: string, extra: Partial<Validator> = {}): Validator => ({ type: "Regex", pattern, ...extra });
  it.each([
    { why: "a plain match anywhere passes", v: rx("\\d+ tests passed"), out: "ok 12 tests passed", passed: true },
    { why: "no match fails", v: rx("\\d+ tests passed"), out: "2 tests failed", passed: false },
    { why: "RE2 (?m) makes ^ and $ match lines", v: rx("(?m)^ok\\s+\\d+ tests passed$"), out: "build\nok 12 tests passed\ndone", passed: true },
    { why: "without (?m) ^ anchors at the start only", v: rx("^ok"), out: "build\nok", passed: false },
    { why: "(?i) makes the match case-insensitive", v: rx("(?i)success"), out: "SUCCESS", passed: true },
    { why: "(?s) lets . cross newlines", v: rx("(?s)begin.*end"), out: "begin\nmiddle\nend", passed: true },
    { why: "RE2 named groups (?P<n>…) are accepted", v: rx("(?P<n>\\d+) files"), out: "3 files", passed: true },
    { why: "\\A anchors at the very start even with (?m)", v: rx("(?m)\\Aok"), out: "x\nok", passed: false },
    { why: "\\z anchors at the very end", v: rx("done\\z"), out: "done\n", passed: false },
    { why: "target Stdout tests the process stdout", v: rx("PASS", { target: "Stdout" }), out: "", extra: { stdout: "PASS" }, passed: true },
    { why: "target Stderr with no stderr tests the empty string", v: rx("warn", { target: "Stderr" }), out: "warn", passed: false },
  ])("$why", ({ v, out, passed, extra }) => {
    const r = validateRegex(v, res(out, 0, extra ?? {}));
    expect(r.passed).toBe(passed);
    expect(r.error).toBeUndefined();
    if (!passed) expect(r.feedback).toContain("does not match");
  });

  it.each([
    { why: "an unbalanced group does not compile", pattern: "(abc" },
    { why: "the RE2 ungreedy flag has no JavaScript equivalent", pattern: "(?U)a+" },
    { why: "a dangling quantifier does not compile", pattern: "*a" },
  ])("$why: a validator error, not a throw", ({ pattern }) => {
    const r = validateRegex(rx(pattern), res("anything"));
    expect(r.passed).toBe(false);
    expect(r.score).toBe(0);
    expect(r.error).toMatch(/does not compile/);
    expect(r.feedback).toContain(JSON.stringify(pattern));
  });

  it("tests only the last MAX_REGEX_INPUT characters of a long output", () => {
    const out = "MARKER" + "x".repeat(MAX_REGEX_INPUT) + "END";
    expect(validateRegex(rx("MARKER"), res(out)).passed).toBe(false);
    const r = validateRegex(rx("END$"), res(out));
    expect(r.passed).toBe(true);
    expect(r.details).toMatchObject({ truncated: true, testedChars: MAX_REGEX_INPUT });
  });
});

describe("JSONSchema", () => {
  const schema = {
    type: "object",
    required: ["name", "count"],
    properties: { name: { type: "string" }, count: { type: "integer", minimum: 0 } },
    additionalProperties: false,
  };
  const js = (s: Record<string, unknown> = schema): Validator => ({ type: "JSONSchema", schema: s });
  it.each([
    { why: "a bare valid JSON answer passes", out: '{"name":"a","count":1}', passed: true },
    { why: "JSON inside a ```json fence passes", out: 'Here it is:\n```json\n{"name":"a","count":2}\n```\nDone.', passed: true },
    { why: "JSON inside a bare ``` fence passes", out: '```\n{"name":"a","count":2}\n```', passed: true },
    { why: "a missing required property fails", out: '{"name":"a"}', passed: false, msg: "(root): must have required property 'count'" },
    { why: "a wrong type fails with its instance path", out: '{"name":"a","count":-1}', passed: false, msg: "/count: must be >= 0" },
    { why: "an extra property fails naming it", out: '{"name":"a","count":1,"x":1}', passed: false, msg: "must NOT have additional properties (x)" },
    { why: "prose without JSON fails as unparsable", out: "I could not do it.", passed: false, msg: "not JSON" },
    { why: "a broken ```json block fails saying so", out: "```json\n{name: a}\n```", passed: false, msg: "```json block is not valid JSON" },
  ])("$why", ({ out, passed, msg }) => {
    const r = validateJsonSchema(js(), res(out));
    expect(r.passed).toBe(passed);
    if (msg !== undefined) expect(r.feedback).toContain(msg);
  });

  it("uses draft 2020-12 by default (prefixItems is understood)", () => {
    const v = js({ type: "array", prefixItems: [{ type: "number" }], items: false });
    expect(validateJsonSchema(v, res("[1]")).passed).toBe(true);
    expect(validateJsonSchema(v, res("[1, 2]")).passed).toBe(false);
  });

  it("uses draft-07 when $schema says so (array-form items)", () => {
    const v = js({ $schema: "http://json-schema.org/draft-07/schema#", type: "array", items: [{ type: "number" }], additionalItems: false });
    expect(validateJsonSchema(v, res("[1]")).passed).toBe(true);
    expect(validateJsonSchema(v, res("[1, 2]")).passed).toBe(false);
  });

  it("a schema that does not compile is a validator error", () => {
    const r = validateJsonSchema(js({ type: "not-a-type" }), res("{}"));
    expect(r.passed).toBe(false);
    expect(r.error).toMatch(/does not compile/);
  });

  it("lists at most 10 errors and says how many more", () => {
    const many = { type: "object", properties: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, { type: "string" }])) };
    const out = JSON.stringify(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, i])));
    const r = validateJsonSchema(js(many), res(out));
    expect(r.feedback).toContain("…and 5 more");
    expect(r.details).toMatchObject({ errorCount: 15 });
  });

  it("two schemas with the same $id both work", () => {
    const a = js({ $id: "https://x/s", type: "number" });
    const b = js({ $id: "https://x/s", type: "string" });
    expect(validateJsonSchema(a, res("1")).passed).toBe(true);
    expect(validateJsonSchema(b, res('"s"')).passed).toBe(true);
  });
});

describe("JSON extraction cost", () => {
  it("stays fast on a long line of backticks", () => {
    const start = performance.now();
    const r = validateJsonSchema({ type: "JSONSchema", schema: { type: "object" } }, res("``` ".repeat(200_000)));
    expect(r.passed).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
