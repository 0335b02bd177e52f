/**
 * Checks of `execution.validation` items that CEL cannot make: a Regex pattern must compile as
 * RE2 and a JSONSchema schema must compile, with the same code the validators run at the end of
 * each iteration. Otherwise the mistake surfaces only after a whole (paid) iteration. Also the
 * type-dependent thresholds, which a CRD default cannot express.
 */
import { validateJsonSchema } from "../../src/validators/json-schema.ts";
import { compileRe2 } from "../../src/validators/re2.ts";
import { thresholds } from "../../src/validators/result.ts";
import type { Validator } from "../../src/validators/types.ts";
import type { JsonPatch, Violation } from "../review.ts";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const COMPILE_FAILURE = "JSONSchema validator schema does not compile: ";

function violationOf(item: Record<string, unknown>, field: string): Violation | undefined {
  if (item.type === "Regex" && typeof item.pattern === "string") {
    const compiled = compileRe2(item.pattern);
    if (!compiled.ok) return { field: `${field}.pattern`, message: `not a valid RE2 pattern: ${compiled.error}` };
  }
  if (item.type === "JSONSchema" && isRecord(item.schema)) {
    // Scoring an empty output compiles the schema first; only a compile error is this check's.
    const error = validateJsonSchema(item as unknown as Validator, { exitCode: 0, output: "" }).error ?? "";
    if (error.startsWith(COMPILE_FAILURE)) return { field: `${field}.schema`, message: `does not compile: ${error.slice(COMPILE_FAILURE.length)}` };
  }
  return undefined;
}

/** One violation per broken validator in `list` (anything not a list has none). */
export function validatorViolations(list: unknown, field: string): Violation[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => {
    const violation = isRecord(item) ? violationOf(item, `${field}[${i}]`) : undefined;
    return violation ? [violation] : [];
  });
}

const KNOWN_TYPES = new Set(["ExitCode", "Regex", "JSONSchema", "Semantic", "MultiJudge"]);

/**
 * Adds minScore (1 for deterministic types, 0.7 for judged ones) and minConfidence (0) where
 * they are missing, so `kubectl get -o yaml` shows the thresholds that apply. `pointer` is the
 * JSON pointer of the list, e.g. /spec/execution/validation.
 */
export function thresholdDefaults(list: unknown, pointer: string): JsonPatch {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => {
    if (!isRecord(item) || !KNOWN_TYPES.has(item.type as string)) return [];
    const defaults = thresholds(item as unknown as Validator);
    return (["minScore", "minConfidence"] as const)
      .filter((key) => item[key] === undefined)
      .map((key) => ({ op: "add" as const, path: `${pointer}/${i}/${key}`, value: defaults[key] }));
  });
}
