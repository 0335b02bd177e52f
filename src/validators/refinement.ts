// The text the next iteration gets: its previous answer (head and tail kept) and what the failing
// validators said. Bounded so a long answer or many validators cannot blow up the next prompt.
import { MAX_FEEDBACK, truncate, truncateMiddle } from "./text.ts";
import type { ValidatorResult } from "./types.ts";

/** Characters of the previous answer quoted. */
export const MAX_PREVIOUS_OUTPUT = 4096;
/** Ceiling of the whole refinement prompt. */
export const MAX_REFINEMENT_PROMPT = 8192;
/** Failing validators quoted at most (the chain stops at the first, but callers may pass more). */
const MAX_FAILURES = 3;

/** `iteration` is the 1-based number of the iteration that produced `previousOutput`. */
export function refinementPrompt(previousOutput: string, results: readonly ValidatorResult[], iteration: number): string {
  const failures = results.filter((r) => !r.passed).slice(0, MAX_FAILURES);
  const lines = [
    `Your previous attempt (iteration ${iteration}) did not pass validation. Fix the problems below and try again.`,
    "",
    "## Validator feedback",
    ...(failures.length === 0
      ? ["(no validator feedback; the attempt failed without a validator verdict)"]
      : failures.map((r) => `### ${r.type} (score ${r.score.toFixed(2)})\n${truncate(r.feedback || "(no details)", MAX_FEEDBACK)}`)),
    "",
    "## Your previous answer",
    "```",
    truncateMiddle(previousOutput, MAX_PREVIOUS_OUTPUT),
    "```",
  ];
  return truncate(lines.join("\n"), MAX_REFINEMENT_PROMPT);
}
