/**
 * Pure: one webhook call. `/validate/<kind>` and `/mutate/<kind>` with the parsed JSON body in,
 * the HTTP status and AdmissionReview out. Never throws: a body without a uid is a 400, anything
 * else gets an AdmissionReview answer.
 */
import { isDeepStrictEqual } from "node:util";
import { GROUP, KIND_NAMES, type Kind } from "../src/api/index.ts";
import { KIND_WEBHOOKS } from "./kinds/index.ts";
import type { AdmissionLookup, AdmissionPolicies } from "./kinds/kind.ts";
import { allow, deny, parseReview, patched, type AdmissionRequest, type AdmissionResponse } from "./review.ts";

export type Mode = "validate" | "mutate";

export interface Answer {
  readonly status: number;
  readonly body: AdmissionResponse | { readonly message: string };
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? v as Record<string, unknown> : {});

/**
 * Updates that leave the spec alone (finalizers, labels, deletion) are admitted as they are: a
 * rule added after an object was stored must not wedge its finalizer removal or its deletion.
 */
function specUntouched(request: AdmissionRequest): boolean {
  if (request.operation !== "UPDATE") return false;
  const object = asRecord(request.object);
  if (asRecord(object.metadata).deletionTimestamp !== undefined) return true;
  return isDeepStrictEqual(object.spec, asRecord(request.oldObject).spec);
}

/** Routes a path to its kind and mode: "/validate/agent" → Agent, validate. */
export function routeOf(path: string): { mode: Mode; kind: Kind } | undefined {
  const match = /^\/(validate|mutate)\/([a-z]+)$/.exec(path);
  const kind = KIND_NAMES.find((k) => k.toLowerCase() === match?.[2]);
  return match && kind ? { mode: match[1] as Mode, kind } : undefined;
}

export interface AdmitOptions {
  /** The Cedar policies each namespace is held to; absent, no Cedar check. */
  readonly policies?: AdmissionPolicies;
  /** What the Cedar checks look up (runtime registry, parent Executions, Swarms); absent, nothing is found. */
  readonly lookup?: AdmissionLookup;
}

export function admit(mode: Mode, kind: Kind, body: unknown, options: AdmitOptions = {}): Answer {
  const parsed = parseReview(body);
  if (!parsed.ok) return { status: 400, body: { message: parsed.message } };
  const { request } = parsed;
  const uid = request.uid;
  if (request.kind.group !== GROUP || request.kind.kind !== kind) {
    return { status: 200, body: deny(uid, [{ field: "kind", message: `this webhook admits ${GROUP} ${kind}, not ${request.kind.group} ${request.kind.kind}` }]) };
  }
  if ((request.operation !== "CREATE" && request.operation !== "UPDATE") || specUntouched(request)) return { status: 200, body: allow(uid) };
  const webhook = KIND_WEBHOOKS[kind];
  if (mode === "mutate") return { status: 200, body: patched(uid, webhook.defaults(request.object)) };
  const violations = webhook.validate(request.object, {
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    ...(request.name !== undefined && request.name !== "" ? { name: request.name } : {}),
    ...(options.policies !== undefined ? { policies: options.policies } : {}),
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    operation: request.operation,
    ...(request.oldObject !== undefined ? { oldObject: request.oldObject } : {}),
  });
  return { status: 200, body: violations.length === 0 ? allow(uid) : deny(uid, violations) };
}
