// Cedar keeps preparsed policy sets in wasm memory under string ids, with no way to drop one. We
// keep a bounded number of ids and reuse the least recently used one, so memory stays bounded
// however many policy revisions and slices come and go.
import { preparsePolicySet, preparseSchema, cedarMessage } from "./cedar.ts";
import { SCHEMA_TEXT } from "./schema.ts";

export const SCHEMA_NAME = "aegis";
const MAX_SETS = 1024;

let schemaReady = false;

/** Preparses the schema once per process (it never changes at run time). */
export function ensureSchema(): void {
  if (schemaReady) return;
  const answer = preparseSchema(SCHEMA_NAME, SCHEMA_TEXT);
  if (answer.type === "failure") throw new Error(`schema: ${answer.errors.map(cedarMessage).join("; ")}`);
  schemaReady = true;
}

const ids = new Map<string, string>(); // content key → preparsed id, in least-recently-used order
let counter = 0;

/**
 * The preparsed id of a set of policies, preparsing it on first use. `key` must identify the
 * content (revision + slice), so equal keys may share one preparsed set.
 */
export function preparsedId(key: string, policies: () => Record<string, string>): string {
  const hit = ids.get(key);
  if (hit !== undefined) {
    ids.delete(key);
    ids.set(key, hit);
    return hit;
  }
  let id: string;
  if (ids.size >= MAX_SETS) {
    const [oldKey, oldId] = ids.entries().next().value!;
    ids.delete(oldKey);
    id = oldId;
  } else {
    id = `aegis-${counter++}`;
  }
  const answer = preparsePolicySet(id, { staticPolicies: policies() });
  // The set was validated before; a failure here is a Cedar bug, and failing closed is right.
  if (answer.type === "failure") throw new Error(`preparse: ${answer.errors.map(cedarMessage).join("; ")}`);
  ids.set(key, id);
  return id;
}
