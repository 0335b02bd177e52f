/**
 * Cedar admission checks (src/policy/admission.ts) as webhook violations: each denied request
 * names its field and the policy that denied it ("denied by policy admission.cedar:budget") or
 * says no policy permits it. Without policies there is no Cedar check.
 */
import { evaluateAdmission, type AdmissionCheck } from "../../src/policy/admission.ts";
import type { Violation } from "../review.ts";
import type { ValidateContext } from "./kind.ts";

export function policyViolations(checks: () => readonly AdmissionCheck[], context: ValidateContext | undefined): Violation[] {
  const { policies, namespace } = context ?? {};
  if (policies === undefined || namespace === undefined) return [];
  try {
    const decider = policies.forNamespace(namespace);
    // The requests come from the policy module's builders: schema-correct by construction.
    const { denials } = evaluateAdmission(checks(), (request) => decider.authorize(request, { validate: false }));
    return denials.map((d) => ({
      field: d.field,
      message: d.message.startsWith(`${d.field}: `) ? d.message.slice(d.field.length + 2) : d.message,
    }));
  } catch (err) {
    // Fail closed: a check that cannot run admits nothing.
    return [{ field: "spec", message: `the Cedar admission check failed: ${err instanceof Error ? err.message : String(err)}` }];
  }
}
