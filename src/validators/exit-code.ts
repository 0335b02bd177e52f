// ExitCode: the process must exit with `expected` (default 0). Score 1 or 0.
import { scored } from "./result.ts";
import type { IterationResult, Validator, ValidatorResult } from "./types.ts";

export function validateExitCode(v: Validator, result: IterationResult): ValidatorResult {
  const expected = v.expected ?? 0;
  const ok = result.exitCode === expected;
  return scored(
    v,
    ok ? 1 : 0,
    1,
    () =>
      result.exitCode === null
        ? `The process ended without an exit code (killed or timed out); it must exit with ${expected}.`
        : `The process exited with code ${result.exitCode}; it must exit with ${expected}. Fix what made it fail.`,
    { expected, exitCode: result.exitCode },
  );
}
