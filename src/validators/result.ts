// Building ValidatorResults: the one pass rule (score ≥ minScore and confidence ≥ minConfidence,
// defaults from the API) and the error shape, so every kind reports the same way.
import { clamp01, MAX_FEEDBACK, truncate } from "./text.ts";
import type { Validator, ValidatorResult, ValidatorType } from "./types.ts";

const JUDGED: readonly ValidatorType[] = ["Semantic", "MultiJudge"];

/** The API defaults: minScore 1.0 for deterministic kinds, 0.7 for judged ones; minConfidence 0. */
export function thresholds(v: Validator): { minScore: number; minConfidence: number } {
  const defaultScore = JUDGED.includes(v.type) ? 0.7 : 1;
  return {
    minScore: clamp01(v.minScore ?? defaultScore),
    minConfidence: clamp01(v.minConfidence ?? 0),
  };
}

/**
 * A scored verdict. `failFeedback` is only used when the result does not pass; it is called lazily
 * so passing validators pay nothing for building messages.
 */
export function scored(
  v: Validator,
  score: number,
  confidence: number,
  failFeedback: (t: { minScore: number; minConfidence: number }) => string,
  details: Record<string, unknown> = {},
): ValidatorResult {
  const t = thresholds(v);
  const s = clamp01(score);
  const c = clamp01(confidence);
  const passed = s >= t.minScore && c >= t.minConfidence;
  return {
    type: v.type,
    passed,
    score: s,
    confidence: c,
    feedback: passed ? "" : truncate(failFeedback(t), MAX_FEEDBACK),
    details,
  };
}

/** The validator could not judge: a failed validation (never a throw), score and confidence 0. */
export function errored(type: ValidatorType, message: string, details: Record<string, unknown> = {}): ValidatorResult {
  const msg = truncate(message, MAX_FEEDBACK);
  return { type, passed: false, score: 0, confidence: 0, feedback: msg, error: msg, details };
}

/** The message of anything thrown, bounded. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return truncate(text, 512);
}
