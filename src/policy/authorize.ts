// One Cedar decision: default deny, with the ids of the deciding policies and the revision of the
// policy set, so every recorded decision says which policies made it.
import type { CedarValueJson } from "@cedar-policy/cedar-wasm/nodejs";
import { cedarMessage, statefulIsAuthorized, type EntityJson } from "./cedar.ts";
import { uidKey, type Uid } from "./entities.ts";
import type { CompiledPolicySet } from "./load.ts";
import { ensureSchema, preparsedId, SCHEMA_NAME } from "./preparsed.ts";
import { selectSlice } from "./slice.ts";

export type Context = Record<string, CedarValueJson>;

export interface AuthorizationRequest {
  readonly principal: Uid;
  /** The action id, e.g. "tool:invoke" (Action::"tool:invoke" in policies). */
  readonly action: string;
  readonly resource: Uid;
  readonly context?: Context;
  /** The principal, resource and whatever they are in; duplicates are dropped (first wins). */
  readonly entities?: readonly EntityJson[];
}

export interface Decision {
  readonly decision: "allow" | "deny";
  /** Ids of the policies that decided: the permits of an allow, the forbids of a forbid-deny. */
  readonly reasons: readonly string[];
  /** Request errors (schema mismatch) and policy evaluation errors, as Cedar words them. */
  readonly errors: readonly string[];
  readonly revision: string;
}

export interface AuthorizeOptions {
  /**
   * Check the request's context and entities against the schema (default true). A context of the
   * wrong shape makes policies error, and an erroring forbid forbids nothing, so only requests
   * built by this module's builders (schema-correct by construction and by test) should skip it:
   * it is most of the cost of a decision.
   */
  readonly validate?: boolean;
}

export function authorize(set: CompiledPolicySet, request: AuthorizationRequest, options: AuthorizeOptions = {}): Decision {
  const validate = options.validate ?? true;
  if (validate) ensureSchema();
  const entities = dedupeEntities(request.entities ?? []);
  const slice = selectSlice(set.index, request.action, principalKeys(request.principal, entities));
  const id = preparsedId(`${set.revision}\n${slice.key}`, () =>
    Object.fromEntries(slice.ids.map((pid) => [pid, set.policies.get(pid)!.text])));
  const answer = statefulIsAuthorized({
    principal: request.principal,
    action: { type: "Action", id: request.action },
    resource: request.resource,
    context: request.context ?? {},
    entities,
    preparsedPolicySetId: id,
    ...(validate ? { preparsedSchemaName: SCHEMA_NAME, validateRequest: true } : {}),
  });
  if (answer.type === "failure") {
    return { decision: "deny", reasons: [], errors: answer.errors.map(cedarMessage), revision: set.revision };
  }
  const { decision, diagnostics } = answer.response;
  return {
    decision,
    reasons: diagnostics.reason,
    errors: diagnostics.errors.map((e) => `${e.policyId}: ${cedarMessage(e.error)}`),
    revision: set.revision,
  };
}

function dedupeEntities(entities: readonly EntityJson[]): EntityJson[] {
  const byKey = new Map<string, EntityJson>();
  for (const e of entities) {
    const key = uidKey(e.uid);
    if (!byKey.has(key)) byKey.set(key, e);
  }
  return [...byKey.values()];
}

/** The principal and all its ancestors in the given entities: the scopes a policy may name. */
function principalKeys(principal: Uid, entities: readonly EntityJson[]): string[] {
  const parents = new Map(entities.map((e) => [uidKey(e.uid), e.parents.map(uidKey)]));
  const out = new Set<string>();
  const queue = [uidKey(principal)];
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (out.has(key)) continue;
    out.add(key);
    queue.push(...(parents.get(key) ?? []));
  }
  return [...out];
}
