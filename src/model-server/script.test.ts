import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScript, validateScript } from "./script.ts";

const GOOD = `
models:
  gpt-test:
    - text: hello
    - match: { contains: "file" }
      toolCalls:
        - name: fs.write
          arguments: { path: a.txt, content: hi }
      usage: { input: 10, output: 5 }
      delayMs: 5
      faults: [{ status: 500, times: 2 }, { status: 429, retryAfter: 1 }]
    - toolCalls: [{ name: nope, rawArguments: "{not json" }]
      truncate: true
`;

describe("parseScript", () => {
  it("accepts YAML and fills defaults", () => {
    const r = parseScript(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.script.models["gpt-test"]?.[1]?.faults).toEqual([{ status: 500, times: 2 }, { status: 429, times: 1, retryAfter: 1 }]);
  });

  it("accepts JSON", () => {
    expect(parseScript(JSON.stringify({ models: { m: [{ text: "x" }] } })).ok).toBe(true);
  });

  it.each([
    { text: "models: { m: [ { text: 3 } ] }", field: "models.m.0.text" },
    { text: "models: { m: [ { toolCalls: [ { arguments: {} } ] } ] }", field: "models.m.0.toolCalls.0.name" },
    { text: "models: { m: [ {} ] }", field: "models.m.0: a turn needs text or toolCalls" },
    { text: "models: { m: [ { text: a, faults: [ { status: 200 } ] } ] }", field: "models.m.0.faults.0.status" },
    { text: "models: { m: [ { text: a, match: { regex: '(' } } ] }", field: "models.m.0.match.regex" },
    { text: "models: { m: [ { text: a, delay: 3 } ] }", field: "models.m.0" },
    { text: "models: { m: [] }", field: "models.m" },
    { text: "turns: []", field: "(root)" },
    { text: "models: [", field: "not YAML or JSON" },
  ])("rejects $text naming $field", ({ text, field }) => {
    const r = parseScript(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(field);
  });

  it("never throws on garbage text, and a rejection always says why", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const r = parseScript(text);
        if (!r.ok) expect(r.error).toMatch(/^invalid script: .+/);
      }),
    );
  });

  it("never throws on garbage values; rejections name a field path", () => {
    fc.assert(
      fc.property(fc.record({ models: fc.dictionary(fc.string(), fc.array(fc.anything())) }), (value) => {
        const r = validateScript(value);
        if (!r.ok) expect(r.error).toMatch(/models\.|\(root\)/);
      }),
    );
  });
});
