/** What each kind's webhook does: pure functions of the admitted object (and the policies in force). */
import type { AuthorizationRequest, AuthorizeOptions, Decision } from "../../src/policy/authorize.ts";
import type { RegistryRef } from "../../controllers/agent/registry.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { JsonPatch, Violation } from "../review.ts";

/** The runtime registry: where it is and its data (undefined while the ConfigMap is missing). */
export interface RuntimeRegistry {
  readonly ref: RegistryRef;
  readonly data: Readonly<Record<string, string>> | undefined;
}

/**
 * What the Cedar checks read beyond the admitted object, from caches (the operator's informers):
 * a webhook has 5 s and must not wait on the API server for each request.
 */
export interface AdmissionLookup {
  runtimeRegistry(): RuntimeRegistry;
  execution(namespace: string, name: string): KubeObject | undefined;
  swarm(namespace: string, name: string): KubeObject | undefined;
  /** How many Executions name the swarm in spec.swarmRef. */
  swarmMembers(namespace: string, swarm: string): number;
}

/** What decides one Cedar request: a PolicyStore (src/policy/store.ts) fits. */
export interface PolicyDecider {
  authorize(request: AuthorizationRequest, options?: AuthorizeOptions): Decision;
}

/** The policies in force for each namespace (cluster-wide and the namespace's own). */
export interface AdmissionPolicies {
  forNamespace(namespace: string): PolicyDecider;
}

/** Where the object is admitted, and the Cedar policies to check it against (none: no Cedar check). */
export interface ValidateContext {
  readonly namespace?: string;
  readonly name?: string;
  readonly policies?: AdmissionPolicies;
  readonly lookup?: AdmissionLookup;
  /** CREATE or UPDATE; the stored object on UPDATE. */
  readonly operation?: string;
  readonly oldObject?: unknown;
}

export interface KindWebhook {
  /** What is wrong with the object (empty: admit). */
  validate(object: unknown, context?: ValidateContext): Violation[];
  /** A JSON patch with the documented defaults the CRD schema cannot apply (empty: none). */
  defaults(object: unknown): JsonPatch;
}

/** `object.spec`, or undefined when the object is not an object. */
export const specOf = (object: unknown): unknown =>
  typeof object === "object" && object !== null ? (object as { spec?: unknown }).spec : undefined;

/**
 * A controller's spec reading failure ("spec.runtime.image: expected string") as a violation.
 * zod paths number array items (spec.volumes.0.name); the API spells them spec.volumes[0].name.
 */
export function readingViolation(message: string): Violation {
  const at = message.indexOf(": ");
  if (at < 0) return { field: "spec", message };
  return { field: message.slice(0, at).replace(/\.(\d+)(?=\.|$)/g, "[$1]"), message: message.slice(at + 2) };
}

/** Kinds without checks of their own beyond the CRD schema: admitted as is. */
export const schemaOnly: KindWebhook = { validate: () => [], defaults: () => [] };
