/**
 * Reading an object's spec through a zod view of the fields a controller uses. Stored objects
 * already match their CRD schema; the view keeps decision functions total (any JSON in, a
 * verdict out) and turns garbage into one precise message, e.g. "spec.runtime: expected object".
 */
import type { z } from "zod";

export type SpecReading<T> = { readonly ok: true; readonly spec: T } | { readonly ok: false; readonly message: string };

export function readSpecWith<S extends z.ZodType>(schema: S, raw: unknown): SpecReading<z.infer<S>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, spec: result.data };
  const issue = result.error.issues[0];
  const path = ["spec", ...(issue?.path ?? []).map(String)].join(".");
  return { ok: false, message: `${path}: ${issue?.message ?? "invalid"}` };
}
