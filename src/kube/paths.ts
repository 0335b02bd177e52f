/** Pure URL building for the REST API: /api/v1/… for the core group, /apis/<group>/<version>/… otherwise. */
import { KubeApiError } from "./errors.ts";
import type { Resource } from "./types.ts";

/**
 * The path of a collection (no name) or of one object (with name), optionally a subresource.
 * A namespaced resource without a namespace is the all-namespaces collection (list/watch only).
 */
export function resourcePath(res: Resource, namespace: string | undefined, name?: string, subresource?: string): string {
  const root = res.group === "" ? `/api/${res.version}` : `/apis/${res.group}/${res.version}`;
  if (name !== undefined && name === "") throw new KubeApiError("BadRequest", 0, `An empty name for ${res.kind}`);
  if (res.namespaced && name !== undefined && !namespace) {
    throw new KubeApiError("BadRequest", 0, `${res.kind} ${name} is namespaced: a namespace is required`);
  }
  const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const obj = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  const sub = name !== undefined && subresource ? `/${subresource}` : "";
  return `${root}${ns}/${res.plural}${obj}${sub}`;
}

/** A query string ("" when empty) from the defined, non-empty parameters. */
export function queryString(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "" || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
