/**
 * Pure: the validating webhook of policy ConfigMaps (core/v1, label aegis.dev/policy=true; the
 * configuration's objectSelector sends us nothing else). An invalid set is denied with Cedar's
 * message naming the data key (src/policy/configmap-admission.ts); the store keeps the last good
 * set anyway, this only tells the author at apply time. Never throws.
 */
import type { KubeObject } from "../src/kube/types.ts";
import { policyConfigMapDenials } from "../src/policy/configmap-admission.ts";
import type { Answer } from "./admission.ts";
import { allow, deny, parseReview } from "./review.ts";

/** Where the API server posts policy ConfigMaps. */
export const POLICY_CONFIGMAP_PATH = "/validate/policy-configmap";

/** The ConfigMaps the namespace sets are made of now (the operator's informer cache). */
export interface PolicyConfigMapContext {
  readonly configMaps: () => readonly KubeObject[];
  /** Where the cluster-wide policies live (aegis-system). */
  readonly operatorNamespace: string;
}

const isObject = (v: unknown): v is KubeObject =>
  typeof v === "object" && v !== null && typeof (v as { metadata?: unknown }).metadata === "object" && (v as { metadata?: unknown }).metadata !== null;

export function admitPolicyConfigMap(body: unknown, context: PolicyConfigMapContext | undefined): Answer {
  const parsed = parseReview(body);
  if (!parsed.ok) return { status: 400, body: { message: parsed.message } };
  const { request } = parsed;
  if (request.kind.group !== "" || request.kind.kind !== "ConfigMap") {
    return { status: 200, body: deny(request.uid, [{ field: "kind", message: `this webhook admits core ConfigMaps, not ${request.kind.group}/${request.kind.kind}` }]) };
  }
  if ((request.operation !== "CREATE" && request.operation !== "UPDATE") || !isObject(request.object)) return { status: 200, body: allow(request.uid) };
  // The review's namespace is authoritative (a create may leave metadata.namespace out).
  const object = { ...request.object, metadata: { ...request.object.metadata, namespace: request.namespace ?? request.object.metadata.namespace } } as KubeObject;
  try {
    const denials = policyConfigMapDenials(object, context?.configMaps() ?? [], context?.operatorNamespace ?? "");
    return { status: 200, body: denials.length === 0 ? allow(request.uid) : deny(request.uid, denials) };
  } catch (err) {
    // Fail closed, as failurePolicy Fail would.
    return { status: 200, body: deny(request.uid, [{ field: "data", message: `the policy check failed: ${err instanceof Error ? err.message : String(err)}` }]) };
  }
}
