// The validation chain of one iteration (Agent spec.execution.validation): validators run in order
// and the first failure stops the chain — the API says its feedback drives the next iteration, and
// not calling judges after a cheap check failed saves model calls. An empty list means "passes when
// the exit code is 0". The iteration's score and confidence are the minimums over the validators
// that ran (so a failed chain never scores above its failing validator).
import { validateExitCode } from "./exit-code.ts";
import { validateJsonSchema } from "./json-schema.ts";
import { validateMultiJudge } from "./multi-judge.ts";
import { validateRegex } from "./regex.ts";
import { describeError, errored } from "./result.ts";
import { validateSemantic } from "./semantic.ts";
import type { IterationResult, ValidationContext, Validator, ValidatorResult } from "./types.ts";

export interface ChainResult {
  passed: boolean;
  /** Minimum score over the validators that ran, 0–1. */
  score: number;
  /** Minimum confidence over the validators that ran, 0–1. */
  confidence: number;
  /** The results of the validators that ran, in order; the last one failed when !passed. */
  results: ValidatorResult[];
  /** Validators not run because an earlier one failed. */
  skipped: number;
  /** The failing validator's feedback ("" when passed), at most MAX_FEEDBACK characters. */
  feedback: string;
}

const DEFAULT_CHAIN: readonly Validator[] = [{ type: "ExitCode" }];

/** Run one validator; never throws. */
export async function runValidator(v: Validator, result: IterationResult, ctx: ValidationContext): Promise<ValidatorResult> {
  try {
    switch (v.type) {
      case "ExitCode":
        return validateExitCode(v, result);
      case "Regex":
        return validateRegex(v, result);
      case "JSONSchema":
        return validateJsonSchema(v, result);
      case "Semantic":
        return await validateSemantic(v, result, ctx);
      case "MultiJudge":
        return await validateMultiJudge(v, result, ctx);
      default:
        return errored(v.type, `Unknown validator type ${JSON.stringify(v.type as unknown)}.`);
    }
  } catch (err) {
    // Defence in depth: the validators report errors as values, but a bug must not stop the loop.
    return errored(v.type, `${v.type} validator failed unexpectedly: ${describeError(err)}`);
  }
}

export async function runValidators(
  validators: readonly Validator[] | undefined,
  result: IterationResult,
  ctx: ValidationContext,
): Promise<ChainResult> {
  const chain = validators === undefined || validators.length === 0 ? DEFAULT_CHAIN : validators;
  const results: ValidatorResult[] = [];
  for (const v of chain) {
    const r = await runValidator(v, result, ctx);
    results.push(r);
    if (!r.passed) break;
  }
  const last = results[results.length - 1];
  const passed = last?.passed ?? true;
  return {
    passed,
    score: Math.min(...results.map((r) => r.score)),
    confidence: Math.min(...results.map((r) => r.confidence)),
    results,
    skipped: chain.length - results.length,
    feedback: passed ? "" : (last?.feedback ?? ""),
  };
}
