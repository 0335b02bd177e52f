// JSONSchema: the answer must be JSON (optionally in a ```json fence) valid against `schema`.
// The API documents draft 2020-12, so that is the default; a schema whose $schema names draft-07
// gets ajv's draft-07 build. Compiled validators are cached by the schema's JSON text (bounded).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { extractJson } from "./json-extract.ts";
import { describeError, errored, scored } from "./result.ts";
import { MAX_FEEDBACK, truncate } from "./text.ts";
import type { IterationResult, Validator, ValidatorResult } from "./types.ts";

/** ajv errors listed in feedback at most. */
export const MAX_SCHEMA_ERRORS = 10;
const CACHE_SIZE = 64;

// strict: false — manifests may carry annotations ajv does not know; logger off keeps this quiet.
const options = { allErrors: true, strict: false, logger: false } as const;
const ajv2020 = new Ajv2020(options);
const ajv07 = new Ajv(options);
const cache = new Map<string, ValidateFunction | string>();

export function validateJsonSchema(v: Validator, result: IterationResult): ValidatorResult {
  if (v.schema === undefined) return errored("JSONSchema", "JSONSchema validator has no schema.");
  const compiled = compile(v.schema);
  if (typeof compiled === "string") {
    return errored("JSONSchema", `JSONSchema validator schema does not compile: ${compiled}`);
  }
  const extracted = extractJson(result.output);
  if (!extracted.ok) {
    return scored(v, 0, 1, () => `The final answer must be JSON valid against the schema, but ${extracted.error}.`, {
      parsed: false,
    });
  }
  const valid = compiled(extracted.value) === true;
  const errors = (compiled.errors ?? []).slice(0, MAX_SCHEMA_ERRORS).map(formatError);
  const total = compiled.errors?.length ?? 0;
  return scored(
    v,
    valid ? 1 : 0,
    1,
    () => {
      const more = total > errors.length ? `\n- …and ${total - errors.length} more` : "";
      return `The JSON answer does not satisfy the schema:\n${errors.map((e) => `- ${e}`).join("\n")}${more}`;
    },
    { parsed: true, source: extracted.source, errorCount: total, errors },
  );
}

function compile(schema: Record<string, unknown>): ValidateFunction | string {
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch (err) {
    return describeError(err);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const draft07 = typeof schema.$schema === "string" && schema.$schema.includes("draft-07");
  const ajv = draft07 ? ajv07 : ajv2020;
  let compiled: ValidateFunction | string;
  try {
    // Two different schemas may share an $id; ajv refuses duplicates, the newest one wins here.
    if (typeof schema.$id === "string") ajv.removeSchema(schema.$id);
    compiled = ajv.compile(schema);
  } catch (err) {
    compiled = describeError(err);
  }
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, compiled);
  return compiled;
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath === "" ? "(root)" : e.instancePath;
  const extra =
    e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
    : e.keyword === "enum" ? ` (${truncate(JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues), 120)})`
    : "";
  return truncate(`${where}: ${e.message ?? e.keyword}${extra}`, Math.floor(MAX_FEEDBACK / MAX_SCHEMA_ERRORS));
}
