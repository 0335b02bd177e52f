// Cedar at run time: a tool call that the agent's spec.tools allow is authorized against its
// namespace's policy set (docs/policy.md). A deny goes back to the model as a tool error with the
// deciding policies and the revision; the revision is recorded with every decision.
import type { Logger } from "pino";
import type { JsonValue } from "../history/index.ts";
import type { StoreDecision } from "../policy/store.ts";
import type { AuthorizationRequest, AuthorizeOptions } from "../policy/authorize.ts";
import { toolCallRequest } from "../policy/tool-request.ts";
import type { ExecutionGrant } from "./credentials.ts";

/** What the gateway needs of the policies: a PolicyStore (or anything deciding like one) per namespace. */
export interface GatewayPolicies {
  forNamespace(namespace: string): { authorize(request: AuthorizationRequest, options?: AuthorizeOptions): StoreDecision };
}

export type PolicyDecision =
  | { readonly decision: "allow"; readonly policyRevision: string }
  | { readonly decision: "deny"; readonly code: "PolicyDenied" | "InvalidArguments"; readonly message: string; readonly policyRevision: string | null };

export interface PolicyViolation {
  readonly namespace: string;
  /** The Execution's name and uid (the Event's regarding object). */
  readonly execution: string;
  readonly uid: string;
  readonly iteration: number;
  readonly seq?: number;
  readonly tool: string;
  readonly code: string;
  readonly message: string;
  readonly reasons: readonly string[];
  readonly policyRevision: string | null;
}

export interface CheckedCall {
  readonly decision: PolicyDecision;
  readonly policyRevision: string | null;
  readonly violation?: PolicyViolation;
}

/** The revision as recorded: the content hash, `@<commit>` when the sources carry a Git commit. */
export const revisionLabel = (d: Pick<StoreDecision, "revision" | "commit">): string =>
  d.commit === undefined ? d.revision : `${d.revision}@${d.commit}`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function denyMessage(tool: string, d: Pick<StoreDecision, "reasons" | "errors">): string {
  if (d.reasons.length > 0) return `tool call "${tool}" denied by policy ${d.reasons.join(", ")}`;
  if (d.errors.length > 0) return `tool call "${tool}" denied: no policy permits it (${d.errors.join("; ")})`;
  return `tool call "${tool}" denied: no policy permits it`;
}

export function authorizeToolCall(policies: GatewayPolicies, grant: ExecutionGrant, tool: string, args: JsonValue, log?: Logger): CheckedCall {
  const violation = (code: string, message: string, reasons: readonly string[], policyRevision: string | null): PolicyViolation => ({
    namespace: grant.namespace, execution: grant.execution, uid: grant.uid, iteration: grant.iteration, tool, code, message, reasons, policyRevision,
  });
  const built = toolCallRequest({
    namespace: grant.namespace, execution: grant.execution, agent: grant.agent ?? grant.execution, iteration: grant.iteration, tool,
    arguments: isRecord(args) ? args : {}, argumentsText: JSON.stringify(args),
  });
  if (!built.ok) {
    const message = `tool call "${tool}" refused: ${built.error}`;
    return { decision: { decision: "deny", code: "InvalidArguments", message, policyRevision: null }, policyRevision: null, violation: violation("InvalidArguments", message, [], null) };
  }
  // Built by toolCallRequest, so schema-correct by construction: validation is skipped (docs/policy.md).
  const d = policies.forNamespace(grant.namespace).authorize(built.request, { validate: false });
  const policyRevision = d.revision === "" ? null : revisionLabel(d);
  if (d.errors.length > 0) log?.warn({ namespace: grant.namespace, execution: grant.execution, tool, errors: d.errors }, "Policy evaluation errors");
  if (d.decision === "allow") return { decision: { decision: "allow", policyRevision: policyRevision ?? "" }, policyRevision };
  const message = denyMessage(tool, d);
  return {
    decision: { decision: "deny", code: "PolicyDenied", message, policyRevision },
    policyRevision,
    violation: violation("PolicyDenied", message, d.reasons, policyRevision),
  };
}
