/**
 * Pure: AdmissionReview v1 in, AdmissionReview v1 out. Requests are parsed with zod so any JSON
 * (or garbage) gets an answer instead of a throw; denials carry one cause per field and a
 * message of the form "spec.x: ..." (the API server prefixes it with the webhook's name).
 */
import { z } from "zod";

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

/** One thing wrong with a manifest: the field path (spec.a.b[0].c) and why. */
export interface Violation {
  readonly field: string;
  readonly message: string;
}

export type JsonPatch = readonly ({ op: "add" | "replace"; path: string; value: unknown } | { op: "remove"; path: string })[];

const request = z.object({
  uid: z.string().min(1),
  kind: z.object({ group: z.string(), version: z.string(), kind: z.string() }),
  operation: z.string(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
});

const review = z.object({ apiVersion: z.literal(ADMISSION_API_VERSION), kind: z.literal("AdmissionReview"), request });

export type AdmissionRequest = z.infer<typeof request>;

export type ParsedReview = { readonly ok: true; readonly request: AdmissionRequest } | { readonly ok: false; readonly message: string };

/** Parses a request body; `ok: false` means there is no uid to answer to (HTTP 400). */
export function parseReview(body: unknown): ParsedReview {
  const result = review.safeParse(body);
  if (result.success) return { ok: true, request: result.data.request };
  const issue = result.error.issues[0];
  return { ok: false, message: `not an AdmissionReview ${ADMISSION_API_VERSION}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` };
}

/** Bounded so one manifest with thousands of errors cannot produce a huge response. */
const MAX_CAUSES = 20;

/** Joined messages, "spec.x: why; spec.y: why". */
export const denialMessage = (violations: readonly Violation[]): string =>
  violations.slice(0, MAX_CAUSES).map((v) => `${v.field}: ${v.message}`).join("; ");

interface Response {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string; details?: { causes: { type: string; field: string; message: string }[] } };
  patchType?: "JSONPatch";
  patch?: string;
}

const wrap = (response: Response) => ({ apiVersion: ADMISSION_API_VERSION, kind: "AdmissionReview", response });

export const allow = (uid: string) => wrap({ uid, allowed: true });

export function deny(uid: string, violations: readonly Violation[]) {
  return wrap({
    uid,
    allowed: false,
    status: {
      code: 422,
      reason: "Invalid",
      message: denialMessage(violations),
      details: { causes: violations.slice(0, MAX_CAUSES).map((v) => ({ type: "FieldValueInvalid", field: v.field, message: v.message })) },
    },
  });
}

/** Allowed, with the patch when there is one (an empty patch is no patch). */
export function patched(uid: string, patch: JsonPatch) {
  if (patch.length === 0) return allow(uid);
  return wrap({ uid, allowed: true, patchType: "JSONPatch", patch: Buffer.from(JSON.stringify(patch)).toString("base64") });
}

export type AdmissionResponse = ReturnType<typeof allow>;
