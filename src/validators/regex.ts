// Regex: the target (Output by default, or Stdout/Stderr) must match `pattern`.
//
// Catastrophic backtracking: JavaScript regexes cannot be interrupted, so we bound the text tested
// to the last MAX_REGEX_INPUT characters (the end of an answer or log holds its conclusion, e.g. a
// test summary). That keeps polynomial blow-ups (nested `\s*` and the like) to milliseconds; an
// exponential pattern such as `(a+)+$` can still be slow on a hostile 30-character input. Patterns
// are written by the Agent's author, not by the model, which is why that residual risk is accepted.
import { compileRe2 } from "./re2.ts";
import { errored, scored } from "./result.ts";
import { truncate } from "./text.ts";
import type { IterationResult, Validator, ValidatorResult } from "./types.ts";

/** How many characters (from the end of the target) a pattern is tested against. */
export const MAX_REGEX_INPUT = 64 * 1024;

export function validateRegex(v: Validator, result: IterationResult): ValidatorResult {
  const pattern = v.pattern ?? "";
  if (pattern === "") return errored("Regex", "Regex validator has no pattern.");
  const compiled = compileRe2(pattern);
  if (!compiled.ok) {
    return errored("Regex", `Regex validator pattern ${quote(pattern)} does not compile: ${compiled.error}`, { pattern });
  }
  const target = v.target ?? "Output";
  const full = target === "Stdout" ? (result.stdout ?? "") : target === "Stderr" ? (result.stderr ?? "") : result.output;
  const tested = full.length > MAX_REGEX_INPUT ? full.slice(full.length - MAX_REGEX_INPUT) : full;
  const matched = compiled.regex.test(tested);
  return scored(
    v,
    matched ? 1 : 0,
    1,
    () => `The ${target === "Output" ? "final answer" : target.toLowerCase()} does not match the required pattern ${quote(pattern)}. Produce ${target === "Output" ? "a final answer" : "output"} that matches it.`,
    { pattern, target, testedChars: tested.length, truncated: tested.length < full.length },
  );
}

function quote(pattern: string): string {
  return JSON.stringify(truncate(pattern, 256));
}
