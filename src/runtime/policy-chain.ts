/**
 * Ordered checks where the first failure wins (cert-manager's policy chain): each check is a
 * pure function of the observed input and says why it fails, or nothing when it passes.
 * Controllers build their conditions from the verdict; the checks never do I/O.
 */

/** Why a check failed: a condition reason (UpperCamelCase) and a message for humans. */
export interface Verdict {
  readonly reason: string;
  readonly message: string;
}

export type Check<I> = (input: I) => Verdict | undefined;

/** The first failing check's verdict, or undefined when every check passes. */
export function firstFailure<I>(checks: readonly Check<I>[], input: I): Verdict | undefined {
  for (const check of checks) {
    const verdict = check(input);
    if (verdict) return verdict;
  }
  return undefined;
}
