// Pure builders of the Cedar entities policies talk about (see schema.cedarschema). Each builder
// returns the entity plus the ancestors it needs, so `in` works without a lookup.
import { posix } from "node:path";
import type { EntityJson, EntityUidJson } from "./cedar.ts";

export interface Uid {
  readonly type: string;
  readonly id: string;
}

export function uid(type: string, id: string): Uid {
  return { type, id };
}

/** Cedar accepts `{type, id}` and `{__entity: {type, id}}`; everything here uses the first. */
export function toUid(value: EntityUidJson): Uid {
  return "__entity" in value ? value.__entity : value;
}

/** The key of a uid as Cedar prints it: Agent::"team-a/coder". */
export function uidKey(value: EntityUidJson): string {
  const { type, id } = toUid(value);
  return `${type}::${JSON.stringify(id)}`;
}

/** A reference to an entity inside a context or attribute value. */
export function ref(value: Uid): { __entity: Uid } {
  return { __entity: { type: value.type, id: value.id } };
}

function entity(u: Uid, attrs: EntityJson["attrs"], parents: readonly Uid[] = []): EntityJson {
  return { uid: { type: u.type, id: u.id }, attrs, parents: parents.map((p) => ({ type: p.type, id: p.id })) };
}

export const namespaceUid = (ns: string): Uid => uid("Namespace", ns);
export const agentUid = (ns: string, name: string): Uid => uid("Agent", `${ns}/${name}`);
export const executionUid = (ns: string, name: string): Uid => uid("Execution", `${ns}/${name}`);

export function namespaceEntity(ns: string): EntityJson {
  return entity(namespaceUid(ns), {});
}

// Parents are listed directly and attribute-less ancestors (Namespace, tool groups) are left
// out: Cedar needs only the uids for `in`, and every entity passed costs time in each decision.
export function agentEntities(ns: string, name: string): EntityJson[] {
  return [entity(agentUid(ns, name), { namespace: ns, name }, [namespaceUid(ns)])];
}

export function executionEntities(ns: string, name: string, agent: string, depth = 0): EntityJson[] {
  return [entity(executionUid(ns, name), { namespace: ns, name, agent, depth }, [agentUid(ns, agent), namespaceUid(ns)])];
}

export const swarmUid = (ns: string, name: string): Uid => uid("Swarm", `${ns}/${name}`);

export function swarmEntities(ns: string, name: string): EntityJson[] {
  return [entity(swarmUid(ns, name), { namespace: ns, name }, [namespaceUid(ns)])];
}

/** fs.read is in fs.*; mcp:github.create_issue is in mcp:github; wildcards and servers are roots. */
export function toolGroup(name: string): string | undefined {
  if (name.startsWith("mcp:")) {
    const dot = name.indexOf(".");
    return dot < 0 ? undefined : name.slice(0, dot);
  }
  if (name.endsWith(".*")) return undefined;
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : `${name.slice(0, dot)}.*`;
}

export function toolEntities(name: string): EntityJson[] {
  const builtin = !name.startsWith("mcp:");
  const group = toolGroup(name);
  return [entity(uid("Tool", name), { name, builtin }, group ? [uid("Tool", group)] : [])];
}

/** Every ancestor directory of an absolute path: /a/b/c → /a/b, /a, /. */
export function ancestorDirs(path: string): string[] {
  const out: string[] = [];
  let current = path;
  while (current !== "/") {
    current = posix.dirname(current);
    out.push(current);
  }
  return out;
}

/**
 * A Path entity in all its ancestor directories (listed flat, so no transitive closure is needed).
 * For a glob, the ancestors start at its last wildcard-free directory: /workspace/src/** is in
 * /workspace/src.
 */
export function pathEntities(value: string): EntityJson[] {
  const wildcard = value.search(/[*?[{]/);
  const base = wildcard < 0 ? value : value.slice(0, wildcard);
  const dirs = wildcard < 0 ? ancestorDirs(value) : [posix.dirname(`${base}x`), ...ancestorDirs(posix.dirname(`${base}x`))];
  const unique = [...new Set(dirs)].filter((d) => d !== value);
  return [
    entity(uid("Path", value), { value }, unique.map((d) => uid("Path", d))),
    ...unique.map((d) => entity(uid("Path", d), { value: d }, ancestorDirs(d).map((a) => uid("Path", a)))),
  ];
}

export function commandEntity(name: string): EntityJson {
  return entity(uid("Command", name), { name });
}

export function domainEntity(name: string): EntityJson {
  return entity(uid("Domain", name), { name });
}

export interface ImageParts {
  readonly reference: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

/** Splits an image reference the way container runtimes do (docker.io when no registry host). */
export function parseImage(reference: string): ImageParts {
  const at = reference.indexOf("@");
  const digest = at < 0 ? "" : reference.slice(at + 1);
  const named = at < 0 ? reference : reference.slice(0, at);
  const slash = named.indexOf("/");
  const first = slash < 0 ? "" : named.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  const registry = hasRegistry ? first : "docker.io";
  const path = hasRegistry ? named.slice(slash + 1) : named;
  const colon = path.lastIndexOf(":");
  const tag = colon < 0 ? "" : path.slice(colon + 1);
  const repository = colon < 0 ? path : path.slice(0, colon);
  return { reference, registry, repository, tag, digest };
}

export function imageEntity(reference: string): EntityJson {
  return entity(uid("Image", reference), { ...parseImage(reference) });
}

export interface VolumeAttrs {
  readonly name: string;
  readonly mountPath: string;
  readonly accessMode?: string;
  readonly volumeRef?: string;
  readonly storageClass?: string;
  readonly size?: string;
}

export const volumeUid = (ns: string, agent: string, mount: string): Uid => uid("Volume", `${ns}/${agent}/${mount}`);

export function volumeEntity(ns: string, agent: string, v: VolumeAttrs): EntityJson {
  return entity(volumeUid(ns, agent, v.name), {
    name: v.name,
    mountPath: v.mountPath,
    accessMode: v.accessMode ?? "ReadWrite",
    volumeRef: v.volumeRef ?? "",
    storageClass: v.storageClass ?? "",
    size: v.size ?? "",
  });
}
