// MultiJudge: every judge grades the output concurrently (one shared timeout), the answering ones
// are combined by `consensus` (see consensus.ts). Fewer answers than minJudgesRequired (default 1)
// is a validator error: there is no verdict to act on.
import { combine, votePasses, type Strategy, type Vote } from "./consensus.ts";
import { callJudge, judgeTimeoutMs, type JudgeOutcome } from "./judge-call.ts";
import { errored, thresholds } from "./result.ts";
import { fmt, MAX_FEEDBACK, truncate } from "./text.ts";
import type { IterationResult, ValidationContext, Validator, ValidatorResult } from "./types.ts";

/** Reasoning quoted per judge in feedback, so nine judges still fit MAX_FEEDBACK. */
const REASONING_PER_JUDGE = 200;

export async function validateMultiJudge(v: Validator, result: IterationResult, ctx: ValidationContext): Promise<ValidatorResult> {
  const judges = v.judges ?? [];
  if (judges.length === 0 || v.criteria === undefined) {
    return errored("MultiJudge", "MultiJudge validator needs at least one judge and criteria.");
  }
  const criteria = v.criteria;
  const strategy: Strategy = v.consensus ?? "WeightedAverage";
  const required = Math.min(Math.max(1, v.minJudgesRequired ?? 1), judges.length);
  const timeoutMs = judgeTimeoutMs(v.timeout);
  const outcomes: JudgeOutcome[] = await Promise.all(
    judges.map((j) =>
      callJudge(
        ctx.judge,
        {
          judgeAgent: j.agent,
          criteria,
          output: result.output,
          ...(ctx.task === undefined ? {} : { task: ctx.task }),
          ...(j.inputTemplate === undefined ? {} : { inputTemplate: j.inputTemplate }),
        },
        timeoutMs,
      )),
  );
  const t = thresholds(v);
  const votes: Vote[] = [];
  const perJudge = judges.map((j, i) => {
    const o = outcomes[i] as JudgeOutcome;
    if (!o.ok) return { agent: j.agent, error: o.error };
    votes.push({ weight: j.weight ?? 1, score: o.verdict.score, confidence: o.verdict.confidence });
    return { agent: j.agent, weight: j.weight ?? 1, ...o.verdict };
  });
  const details = { consensus: strategy, answered: votes.length, required, judges: perJudge };
  if (votes.length < required) {
    const errors = perJudge.flatMap((p) => ("error" in p ? [`${p.agent} ${p.error}`] : [])).join("; ");
    return errored("MultiJudge", `MultiJudge validation could not be done: ${votes.length} of ${judges.length} judges answered, ${required} required (${errors}).`, details);
  }
  const c = combine(strategy, votes, judges.length, t);
  const feedback = c.passed ? "" : truncate(
    [
      `${strategy} consensus of ${votes.length}/${judges.length} judges did not pass against the criteria "${truncate(criteria, 300)}": ` +
        `score ${fmt(c.score)} (needs ${fmt(t.minScore)}), confidence ${fmt(c.confidence)} (needs ${fmt(t.minConfidence)}), ${c.passing} judge(s) passed.`,
      ...perJudge.map((p) =>
        "error" in p
          ? `- ${p.agent}: no verdict (${p.error})`
          : `- ${p.agent}: score ${fmt(p.score)}, confidence ${fmt(p.confidence)}${votePasses(p, t) ? "" : " (fails)"}: ${truncate(p.reasoning, REASONING_PER_JUDGE) || "(no reasoning)"}`),
    ].join("\n"),
    MAX_FEEDBACK,
  );
  return { type: "MultiJudge", passed: c.passed, score: c.score, confidence: c.confidence, feedback, details };
}
