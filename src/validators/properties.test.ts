// Properties: whatever the output, pattern, schema or judge answer, validators never throw, keep
// scores in [0, 1] and feedback bounded; consensus math keeps its promises.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runValidator } from "./chain.ts";
import { combine, votePasses, type Vote } from "./consensus.ts";
import { fakeJudge } from "./fake-judge.ts";
import { MAX_REFINEMENT_PROMPT, refinementPrompt } from "./refinement.ts";
import { MAX_FEEDBACK } from "./text.ts";
import type { ValidatorResult } from "./types.ts";

const bounded = (r: ValidatorResult): void => {
  expect(r.score).toBeGreaterThanOrEqual(0);
  expect(r.score).toBeLessThanOrEqual(1);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.feedback.length).toBeLessThanOrEqual(MAX_FEEDBACK);
  if (r.passed) expect(r.feedback).toBe("");
};

const output = fc.oneof(fc.string({ maxLength: 300 }), fc.json(), fc.string({ unit: "grapheme", maxLength: 100 }));
// Patterns from a small alphabet of regex syntax, so many are valid and many are not; bounded
// length and no unbounded quantifiers keep them fast (see regex.ts on backtracking).
const pattern = fc.string({ unit: fc.constantFrom("a", "b", ".", "?", "(", ")", "[", "]", "\\", "^", "$", "|", "{", "}", "2", "(?i)", "(?P<n>", "\\A", "\\z"), minLength: 1, maxLength: 12 });
const schema = fc.oneof(
  fc.constant({ type: "object", required: ["a"] }),
  fc.dictionary(fc.constantFrom("type", "minimum", "items", "required", "enum", "properties", "maxLength"), fc.jsonValue(), { maxKeys: 4 }),
);
const num = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -1, 0, 0.5, 1, 2));

describe("validators never throw and stay bounded", () => {
  it("Regex over arbitrary patterns and outputs", async () => {
    await fc.assert(fc.asyncProperty(pattern, output, async (p, out) => {
      bounded(await runValidator({ type: "Regex", pattern: p }, { exitCode: 0, output: out }, { judge: fakeJudge({}) }));
    }), { numRuns: 300 });
  });

  it("JSONSchema over arbitrary schemas and outputs", async () => {
    await fc.assert(fc.asyncProperty(schema, output, async (s, out) => {
      bounded(await runValidator({ type: "JSONSchema", schema: s as Record<string, unknown> }, { exitCode: 0, output: out }, { judge: fakeJudge({}) }));
    }), { numRuns: 300 });
  });

  it("Semantic and MultiJudge over arbitrary (even invalid) judge answers", async () => {
    const answer = fc.record({ score: num, confidence: num, reasoning: fc.string({ maxLength: 5000 }) });
    await fc.assert(fc.asyncProperty(answer, answer, fc.constantFrom("WeightedAverage", "Majority", "Unanimous", "BestOfN") as fc.Arbitrary<"Majority">, output, async (a, b, consensus, out) => {
      const judge = fakeJudge({ a, b });
      bounded(await runValidator({ type: "Semantic", judgeAgent: "a", criteria: "c" }, { exitCode: 0, output: out }, { judge }));
      bounded(await runValidator({ type: "MultiJudge", criteria: "c", consensus, judges: [{ agent: "a" }, { agent: "b", weight: 0 }] }, { exitCode: 0, output: out }, { judge }));
    }), { numRuns: 200 });
  });

  it("refinementPrompt is bounded", () => {
    const result = fc.record({ type: fc.constant("Regex" as const), passed: fc.boolean(), score: fc.double({ min: 0, max: 1, noNaN: true }), confidence: fc.constant(1), feedback: fc.string({ maxLength: 3000 }), details: fc.constant({}) });
    fc.assert(fc.property(fc.string({ maxLength: 20_000 }), fc.array(result, { maxLength: 20 }), fc.nat(), (out, results, n) => {
      expect(refinementPrompt(out, results, n).length).toBeLessThanOrEqual(MAX_REFINEMENT_PROMPT);
    }));
  });
});

describe("consensus math", () => {
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const vote = fc.record({ weight: fc.double({ min: 0, max: 100, noNaN: true }), score: unit, confidence: unit });
  const votes = fc.array(vote, { minLength: 1, maxLength: 9 });
  const t = fc.record({ minScore: unit, minConfidence: unit });

  it("WeightedAverage lies within [min, max] of the scores", () => {
    fc.assert(fc.property(votes, t, (vs, th) => {
      const c = combine("WeightedAverage", vs, vs.length, th);
      expect(c.score).toBeGreaterThanOrEqual(Math.min(...vs.map((v) => v.score)));
      expect(c.score).toBeLessThanOrEqual(Math.max(...vs.map((v) => v.score)));
    }));
  });

  it("Unanimous passes only if every configured judge answered and passed", () => {
    fc.assert(fc.property(votes, fc.nat(3), t, (vs, missing, th) => {
      const c = combine("Unanimous", vs, vs.length + missing, th);
      expect(c.passed).toBe(missing === 0 && vs.every((v) => votePasses(v, th)));
    }));
  });

  it("Majority passes exactly when more than half pass; BestOfN when any passes", () => {
    fc.assert(fc.property(votes, t, (vs, th) => {
      const n = vs.filter((v: Vote) => votePasses(v, th)).length;
      expect(combine("Majority", vs, vs.length, th).passed).toBe(n * 2 > vs.length);
      expect(combine("BestOfN", vs, vs.length, th).passed).toBe(n > 0);
    }));
  });

  it("Unanimous implies Majority implies BestOfN", () => {
    fc.assert(fc.property(votes, t, (vs, th) => {
      const [u, m, b] = (["Unanimous", "Majority", "BestOfN"] as const).map((s) => combine(s, vs, vs.length, th).passed);
      if (u === true) expect(m).toBe(true);
      if (m === true) expect(b).toBe(true);
    }));
  });

  it("every strategy keeps score and confidence in [0, 1]", () => {
    fc.assert(fc.property(votes, t, fc.constantFrom("WeightedAverage", "Majority", "Unanimous", "BestOfN") as fc.Arbitrary<"BestOfN">, (vs, th, s) => {
      const c = combine(s, vs, vs.length, th);
      for (const x of [c.score, c.confidence]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }));
  });
});
