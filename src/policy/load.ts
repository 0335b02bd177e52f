// Compiling policy sources (e.g. the keys of labelled ConfigMaps) into one validated policy set.
// Pure apart from Cedar itself: the same sources always give the same set, revision and errors.
import { createHash } from "node:crypto";
import {
  cedarMessage, lineColumn, policySetTextToParts, policyToJson, validate, type DetailedError,
} from "./cedar.ts";
import { SCHEMA_TEXT } from "./schema.ts";
import { buildIndex, scopeOf, type Scope, type SliceIndex } from "./slice.ts";

export interface PolicySource {
  /** Where the text came from, e.g. "aegis-system/cluster-policies/tools.cedar". Unique. */
  readonly name: string;
  readonly text: string;
}

export interface PolicyError {
  readonly source: string;
  readonly policyId?: string;
  readonly line?: number;
  readonly column?: number;
  /** Cedar's own message. */
  readonly message: string;
}

export interface CompiledPolicy {
  /** `<source>:<@id annotation>`, or `<source>:policy<n>` (n counts from 0 within the source). */
  readonly id: string;
  readonly source: string;
  readonly text: string;
  readonly scope: Scope;
}

export interface CompiledPolicySet {
  /** sha256 (hex) of the sources sorted by name: names and texts. */
  readonly revision: string;
  readonly policies: ReadonlyMap<string, CompiledPolicy>;
  readonly index: SliceIndex;
}

export type CompileResult =
  | { readonly ok: true; readonly policySet: CompiledPolicySet }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

export function formatPolicyError(e: PolicyError): string {
  const where = e.line === undefined ? e.source : `${e.source}:${e.line}:${e.column}`;
  return e.policyId ? `${where}: ${e.policyId}: ${e.message}` : `${where}: ${e.message}`;
}

export function revisionOf(sources: readonly PolicySource[]): string {
  const hash = createHash("sha256");
  for (const s of sortByName(sources)) hash.update(`${s.name}\0${s.text}\0`);
  return hash.digest("hex");
}

function sortByName(sources: readonly PolicySource[]): PolicySource[] {
  return [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface Located extends CompiledPolicy {
  /** Offset of the policy text in its source, when found verbatim. */
  readonly offset: number | undefined;
  readonly sourceText: string;
}

export function compilePolicies(sources: readonly PolicySource[]): CompileResult {
  const errors: PolicyError[] = [];
  const policies: Located[] = [];
  const seen = new Set<string>();
  for (const source of sortByName(sources)) {
    if (seen.has(source.name)) {
      errors.push({ source: source.name, message: "duplicate source name" });
      continue;
    }
    seen.add(source.name);
    const parsed = splitSource(source);
    if ("errors" in parsed) errors.push(...parsed.errors);
    else policies.push(...parsed.policies);
  }
  const byId = new Map(policies.map((p) => [p.id, p]));
  if (byId.size !== policies.length) {
    for (const p of policies) {
      if (policies.filter((q) => q.id === p.id).length > 1) errors.push({ source: p.source, policyId: p.id, message: "duplicate policy id" });
    }
  }
  errors.push(...validateAll(byId));
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  const compiled = new Map<string, CompiledPolicy>(
    policies.map(({ id, source, text, scope }) => [id, { id, source, text, scope }]),
  );
  return { ok: true, policySet: { revision: revisionOf(sources), policies: compiled, index: buildIndex([...compiled.values()]) } };
}

/** One source's policies, or Cedar's parse errors located in that source. */
function splitSource(source: PolicySource): { policies: Located[] } | { errors: PolicyError[] } {
  const parts = guard(() => policySetTextToParts(source.text));
  if ("thrown" in parts) return { errors: [{ source: source.name, message: parts.thrown }] };
  if (parts.type === "failure") return { errors: parts.errors.map((e) => locate(source.name, source.text, 0, e)) };
  if (parts.policy_templates.length > 0) {
    return { errors: [{ source: source.name, message: "policy templates are not supported; write static policies" }] };
  }
  const policies: Located[] = [];
  let cursor = 0;
  for (const [n, text] of parts.policies.entries()) {
    const found = source.text.indexOf(text, cursor);
    const offset = found < 0 ? undefined : found;
    if (found >= 0) cursor = found + text.length;
    const json = guard(() => policyToJson(text));
    if ("thrown" in json || json.type === "failure") {
      const message = "thrown" in json ? json.thrown : json.errors.map(cedarMessage).join("; ");
      return { errors: [{ source: source.name, message }] };
    }
    const annotated = json.json.annotations?.["id"];
    const id = `${source.name}:${annotated ?? `policy${n}`}`;
    policies.push({ id, source: source.name, text, scope: scopeOf(json.json), offset, sourceText: source.text });
  }
  return { policies };
}

/** Validation against the schema (strict mode), errors mapped back to their source and line. */
function validateAll(policies: ReadonlyMap<string, Located>): PolicyError[] {
  if (policies.size === 0) return [];
  const staticPolicies = Object.fromEntries([...policies].map(([id, p]) => [id, p.text]));
  const answer = guard(() => validate({ schema: SCHEMA_TEXT, policies: { staticPolicies } }));
  if ("thrown" in answer) return [{ source: "(all)", message: answer.thrown }];
  if (answer.type === "failure") return answer.errors.map((e) => ({ source: "(all)", message: cedarMessage(e) }));
  return answer.validationErrors.map(({ policyId, error }) => {
    const p = policies.get(policyId);
    if (!p) return { source: "(unknown)", policyId, message: cedarMessage(error) };
    const base = p.offset === undefined ? undefined : p.offset;
    return { ...locate(p.source, p.sourceText, base, error), policyId };
  });
}

function locate(source: string, text: string, base: number | undefined, error: DetailedError): PolicyError {
  const start = error.sourceLocations?.[0]?.start;
  if (base === undefined || start === undefined) return { source, message: cedarMessage(error) };
  return { source, ...lineColumn(text, base + start), message: cedarMessage(error) };
}

function dedupe(errors: PolicyError[]): PolicyError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = formatPolicyError(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Cedar answers with values, but a wasm trap throws: turn it into an error message too. */
function guard<T>(fn: () => T): T | { thrown: string } {
  try {
    return fn();
  } catch (e) {
    return { thrown: `cedar: ${e instanceof Error ? e.message : String(e)}` };
  }
}
