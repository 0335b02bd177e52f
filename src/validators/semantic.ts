// Semantic: one judge Agent grades the output against `criteria`. Passes when score ≥ minScore
// (default 0.7) and confidence ≥ minConfidence; an unsure judge fails even with a high score,
// because a verdict the judge itself does not trust should not end the execution.
import { callJudge, judgeTimeoutMs } from "./judge-call.ts";
import { errored, scored } from "./result.ts";
import { fmt } from "./text.ts";
import type { IterationResult, ValidationContext, Validator, ValidatorResult } from "./types.ts";

export async function validateSemantic(v: Validator, result: IterationResult, ctx: ValidationContext): Promise<ValidatorResult> {
  if (v.judgeAgent === undefined || v.criteria === undefined) {
    return errored("Semantic", "Semantic validator needs judgeAgent and criteria.");
  }
  const judgeAgent = v.judgeAgent;
  const outcome = await callJudge(
    ctx.judge,
    { judgeAgent, criteria: v.criteria, output: result.output, ...(ctx.task === undefined ? {} : { task: ctx.task }) },
    judgeTimeoutMs(v.timeout),
  );
  if (!outcome.ok) {
    return errored("Semantic", `Semantic validation could not be done: judge ${judgeAgent} ${outcome.error}.`, { judgeAgent });
  }
  const { score, confidence, reasoning } = outcome.verdict;
  return scored(
    v,
    score,
    confidence,
    (t) => {
      const why: string[] = [];
      if (score < t.minScore) why.push(`scored ${fmt(score)} (needs ${fmt(t.minScore)})`);
      if (confidence < t.minConfidence) {
        why.push(`was only ${fmt(confidence)} confident, below its confidence threshold ${fmt(t.minConfidence)}`);
      }
      return `Judge ${judgeAgent} ${why.join(" and ")} against the criteria "${v.criteria}". Judge's reasoning: ${reasoning || "(none given)"}`;
    },
    { judgeAgent, reasoning },
  );
}
