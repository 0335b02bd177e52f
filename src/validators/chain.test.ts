import { describe, expect, it } from "vitest";
import { runValidators } from "./chain.ts";
import { fakeJudge } from "./fake-judge.ts";
import { MAX_PREVIOUS_OUTPUT, MAX_REFINEMENT_PROMPT, refinementPrompt } from "./refinement.ts";
import type { Validator } from "./types.ts";

const judge = fakeJudge({ good: { score: 0.9, confidence: 0.9, reasoning: "fine" }, bad: { score: 0.2, confidence: 1, reasoning: "wrong" } });
const ctx = { judge };

describe("runValidators", () => {
  it.each<{ why: string; chain: Validator[] | undefined; exitCode: number; output: string; passed: boolean; ran: number; score: number }>([
    { why: "an empty list passes on exit 0", chain: [], exitCode: 0, output: "", passed: true, ran: 1, score: 1 },
    { why: "an empty list fails on a non-zero exit", chain: [], exitCode: 2, output: "", passed: false, ran: 1, score: 0 },
    { why: "no list behaves like an empty one", chain: undefined, exitCode: 0, output: "", passed: true, ran: 1, score: 1 },
    { why: "all passing: the score is the minimum", chain: [{ type: "ExitCode" }, { type: "Semantic", judgeAgent: "good", criteria: "c" }], exitCode: 0, output: "x", passed: true, ran: 2, score: 0.9 },
    { why: "the first failure stops the chain", chain: [{ type: "Regex", pattern: "ok" }, { type: "Semantic", judgeAgent: "good", criteria: "c" }], exitCode: 0, output: "no", passed: false, ran: 1, score: 0 },
    { why: "a later failure reports its own score", chain: [{ type: "ExitCode" }, { type: "Semantic", judgeAgent: "bad", criteria: "c" }, { type: "ExitCode" }], exitCode: 0, output: "x", passed: false, ran: 2, score: 0.2 },
    { why: "with validators, a non-zero exit only fails through an ExitCode validator", chain: [{ type: "Regex", pattern: "x" }], exitCode: 1, output: "x", passed: true, ran: 1, score: 1 },
  ])("$why", async ({ chain, exitCode, output, passed, ran, score }) => {
    const r = await runValidators(chain, { exitCode, output }, ctx);
    expect(r.passed).toBe(passed);
    expect(r.results).toHaveLength(ran);
    expect(r.skipped).toBe(Math.max(1, chain?.length ?? 0) - ran);
    expect(r.score).toBeCloseTo(score, 10);
    expect(r.feedback === "").toBe(passed);
    if (!passed) expect(r.feedback).toBe(r.results[ran - 1]?.feedback);
  });

  it("an unknown validator type is a failed validation, not a throw", async () => {
    const r = await runValidators([{ type: "Bogus" as Validator["type"] }], { exitCode: 0, output: "" }, ctx);
    expect(r.passed).toBe(false);
    expect(r.feedback).toContain("Unknown validator type");
  });
});

describe("refinementPrompt", () => {
  it("quotes the failing feedback and the previous output", () => {
    const p = refinementPrompt("my answer", [
      { type: "ExitCode", passed: true, score: 1, confidence: 1, feedback: "", details: {} },
      { type: "Regex", passed: false, score: 0, confidence: 1, feedback: "does not match \"ok\"", details: {} },
    ], 2);
    expect(p).toContain("iteration 2");
    expect(p).toContain("### Regex");
    expect(p).toContain('does not match "ok"');
    expect(p).not.toContain("### ExitCode");
    expect(p).toContain("my answer");
  });

  it("keeps the head and tail of a long previous output and stays bounded", () => {
    const out = "HEAD" + "x".repeat(100_000) + "TAIL";
    const many = Array.from({ length: 10 }, () => ({ type: "Semantic" as const, passed: false, score: 0, confidence: 0, feedback: "y".repeat(5000), details: {} }));
    const p = refinementPrompt(out, many, 1);
    expect(p.length).toBeLessThanOrEqual(MAX_REFINEMENT_PROMPT);
    const short = refinementPrompt(out, [], 1);
    expect(short).toContain("HEAD");
    expect(short).toContain("TAIL");
    expect(short).toContain("characters omitted");
    expect(short.length).toBeLessThan(MAX_PREVIOUS_OUTPUT + 500);
  });
});
