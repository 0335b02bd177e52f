import { describe, expect, it } from "vitest";
import { fakeJudge, type FakeAnswer } from "./fake-judge.ts";
import { validateMultiJudge } from "./multi-judge.ts";
import { validateSemantic } from "./semantic.ts";
import type { JudgeVerdict, Validator } from "./types.ts";

const result = { exitCode: 0, output: "the answer" };
const verdict = (score: number, confidence = 1, reasoning = "because"): JudgeVerdict => ({ score, confidence, reasoning });

describe("Semantic", () => {
  const sem = (extra: Partial<Validator> = {}): Validator => ({ type: "Semantic", judgeAgent: "j", criteria: "is good", ...extra });
  it.each<{ why: string; v: Validator; answer: FakeAnswer; passed: boolean; msg?: string | RegExp }>([
    { why: "a score at the 0.7 default passes", v: sem(), answer: verdict(0.7), passed: true },
    { why: "a score below the default fails with the judge's reasoning", v: sem(), answer: verdict(0.69, 1, "misses tests"), passed: false, msg: /scored 0.69 \(needs 0.70\).*misses tests/ },
    { why: "an explicit minScore is honoured", v: sem({ minScore: 0.9 }), answer: verdict(0.85), passed: false, msg: "needs 0.90" },
    { why: "a confident judge passes a confidence threshold", v: sem({ minConfidence: 0.8 }), answer: verdict(0.9, 0.8), passed: true },
    { why: "a judge below its confidence threshold fails even with a high score", v: sem({ minConfidence: 0.8 }), answer: verdict(1, 0.5), passed: false, msg: "below its confidence threshold 0.80" },
    { why: "a throwing judge is a failed validation", v: sem(), answer: new Error("gateway down"), passed: false, msg: "judge j failed: gateway down" },
    { why: "a NaN score is a failed validation", v: sem(), answer: verdict(Number.NaN), passed: false, msg: "invalid score NaN" },
    { why: "a score above 1 is a failed validation", v: sem(), answer: verdict(7), passed: false, msg: "invalid score 7" },
    { why: "a negative confidence is a failed validation", v: sem(), answer: verdict(0.9, -0.1), passed: false, msg: "invalid confidence" },
    { why: "a judge slower than the timeout is a failed validation", v: sem({ timeout: "20ms" }), answer: "hang", passed: false, msg: "timed out after 20 ms" },
  ])("$why", async ({ v, answer, passed, msg }) => {
    const judge = fakeJudge({ j: answer });
    const r = await validateSemantic(v, result, { judge, task: "do it" });
    expect(r.passed).toBe(passed);
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(1);
    if (msg !== undefined) expect(r.feedback).toMatch(msg);
    expect(judge.calls[0]).toMatchObject({ judgeAgent: "j", criteria: "is good", output: "the answer", task: "do it" });
  });

  it("a judge that returns garbage instead of a verdict is a failed validation", async () => {
    const judge = { judge: () => Promise.resolve(null as unknown as JudgeVerdict) };
    const r = await validateSemantic(sem(), result, { judge });
    expect(r).toMatchObject({ passed: false, score: 0 });
    expect(r.error).toContain("no verdict");
  });

  it("aborts the judge's signal on timeout", async () => {
    let signal: AbortSignal | undefined;
    const judge = { judge: (req: { signal?: AbortSignal }) => { signal = req.signal; return new Promise<JudgeVerdict>(() => {}); } };
    await validateSemantic(sem({ timeout: "10ms" }), result, { judge });
    expect(signal?.aborted).toBe(true);
  });
});

describe("MultiJudge", () => {
  const multi = (consensus: Validator["consensus"], extra: Partial<Validator> = {}): Validator => ({
    type: "MultiJudge",
    criteria: "is good",
    judges: [{ agent: "a", weight: 2 }, { agent: "b" }, { agent: "c" }],
    ...(consensus === undefined ? {} : { consensus }),
    ...extra,
  });
  const judges = (a: FakeAnswer, b: FakeAnswer, c: FakeAnswer) => fakeJudge({ a, b, c });
  it.each<{ why: string; v: Validator; a: FakeAnswer; b: FakeAnswer; c: FakeAnswer; passed: boolean; score?: number; msg?: string }>([
    { why: "WeightedAverage (default) weights judge a twice", v: multi(undefined), a: verdict(1), b: verdict(0.4), c: verdict(0.4), passed: true, score: 0.7 },
    { why: "WeightedAverage below minScore fails", v: multi("WeightedAverage"), a: verdict(0.2), b: verdict(1), c: verdict(1), passed: false, score: 0.6 },
    { why: "Majority passes with two of three", v: multi("Majority"), a: verdict(0.1), b: verdict(0.8), c: verdict(0.9), passed: true },
    { why: "Majority fails with one of three", v: multi("Majority"), a: verdict(0.9), b: verdict(0.1), c: verdict(0.2), passed: false },
    { why: "Unanimous passes when all pass", v: multi("Unanimous"), a: verdict(0.8), b: verdict(0.9), c: verdict(0.7), passed: true, score: 0.7 },
    { why: "Unanimous fails on one dissent", v: multi("Unanimous"), a: verdict(0.8), b: verdict(0.9), c: verdict(0.69), passed: false },
    { why: "Unanimous fails when a judge did not answer", v: multi("Unanimous"), a: verdict(1), b: verdict(1), c: new Error("down"), passed: false, msg: "c: no verdict" },
    { why: "BestOfN passes when one judge passes", v: multi("BestOfN"), a: verdict(0.1), b: verdict(0.95), c: verdict(0.2), passed: true, score: 0.95 },
    { why: "BestOfN fails when none passes", v: multi("BestOfN"), a: verdict(0.1), b: verdict(0.6), c: verdict(0.2), passed: false, score: 0.6 },
    { why: "an unsure judge's vote does not pass under minConfidence", v: multi("Majority", { minConfidence: 0.9 }), a: verdict(1, 0.5), b: verdict(1, 0.5), c: verdict(1, 1), passed: false },
    { why: "a judge error still leaves a verdict from the others", v: multi("WeightedAverage"), a: verdict(0.9), b: new Error("x"), c: verdict(0.9), passed: true },
    { why: "fewer answers than minJudgesRequired is an error", v: multi("WeightedAverage", { minJudgesRequired: 2 }), a: verdict(1), b: new Error("x"), c: verdict(Number.NaN), passed: false, msg: "1 of 3 judges answered, 2 required" },
  ])("$why", async ({ v, a, b, c, passed, score, msg }) => {
    const r = await validateMultiJudge(v, result, { judge: judges(a, b, c) });
    expect(r.passed).toBe(passed);
    if (score !== undefined) expect(r.score).toBeCloseTo(score, 10);
    if (msg !== undefined) expect(r.feedback).toContain(msg);
    expect(r.feedback === "").toBe(passed);
  });

  it("calls the judges concurrently", async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = async (): Promise<JudgeVerdict> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return verdict(1);
    };
    await validateMultiJudge(multi("Unanimous"), result, { judge: judges(slow, slow, slow) });
    expect(peak).toBe(3);
  });

  it("passes each judge its input template", async () => {
    const judge = fakeJudge({ a: verdict(1) });
    await validateMultiJudge({ type: "MultiJudge", criteria: "c", judges: [{ agent: "a", inputTemplate: "Review {{output}}" }] }, result, { judge });
    expect(judge.calls[0]?.inputTemplate).toBe("Review {{output}}");
  });
});
