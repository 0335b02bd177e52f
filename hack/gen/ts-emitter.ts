// A small OpenAPI (structural schema) → TypeScript emitter. Objects with properties become
// interfaces named by their path (AgentSpecRuntime); schemas given a name with `named()` become
// shared declarations; descriptions become JSDoc. Output depends only on the input: no sorting
// by hash, no timestamps, insertion order throughout.
import type { Schema } from "../../src/api/schema/builders.ts";

export interface Declaration {
  name: string;
  text: string;
}

export interface EmitContext {
  /** The shared name of a schema, if it has one (see `named()`). */
  nameOf: (schema: Schema) => string | undefined;
  /** The canonical schema of a shared name (its description documents the type). */
  canonical: (name: string) => Schema | undefined;
  /** Declarations of this file, in first-visit order. */
  local: Map<string, Declaration>;
  /** Shared schemas referenced so far (name → schema), emitted once in common.ts. */
  shared: Map<string, Schema>;
  /** Shared names this file refers to (for its import line). */
  imports: Set<string>;
}

export function newContext(nameOf: EmitContext["nameOf"], canonical: EmitContext["canonical"] = () => undefined): EmitContext {
  return { nameOf, canonical, local: new Map(), shared: new Map(), imports: new Set() };
}

/** A JSDoc block from a description (and default), indented; empty when there is nothing to say. */
export function jsdoc(schema: Schema, indent: string): string {
  const lines: string[] = [];
  if (schema.description) lines.push(...wrap(schema.description.replaceAll("*/", "*\\/"), 96));
  if (schema.default !== undefined) lines.push(`@default ${JSON.stringify(schema.default)}`);
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      if (line !== "" && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line === "" ? word : `${line} ${word}`;
      }
    }
    out.push(line);
  }
  return out;
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The singular of a list's name for its item type: volumes → Volume, policies → Policy. */
export function singular(name: string): string {
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  if (name.endsWith("sses") || name.endsWith("xes")) return name.slice(0, -2);
  if (name.endsWith("s") && !name.endsWith("ss") && !name.endsWith("us")) return name.slice(0, -1);
  return `${name}Item`;
}

const VALID_IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The TypeScript type of `schema`; declares interfaces for objects under the name `hint`. */
export function typeOf(schema: Schema, hint: string, ctx: EmitContext): string {
  const shared = ctx.nameOf(schema);
  if (shared !== undefined && shared !== hint) {
    registerShared(shared, schema, ctx);
    ctx.imports.add(shared);
    return shared;
  }
  if (schema["x-kubernetes-int-or-string"]) return "number | string";
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      if (!schema.items) return "unknown[]";
      const item = typeOf(schema.items, singularHint(hint), ctx);
      return item.includes("|") ? `(${item})[]` : `${item}[]`;
    }
    case "object":
      if (schema.properties) return declareInterface(schema, hint, ctx);
      if (schema.additionalProperties) return `Record<string, ${typeOf(schema.additionalProperties, `${hint}Value`, ctx)}>`;
      return "Record<string, unknown>";
    default:
      return "unknown";
  }
}

function singularHint(hint: string): string {
  const m = /^(.*?)([A-Z][a-z0-9]*)$/.exec(hint);
  return m ? `${m[1]}${singular(m[2] ?? "")}` : singular(hint);
}

function registerShared(name: string, schema: Schema, ctx: EmitContext): void {
  const known = ctx.shared.get(name);
  if (known === undefined) {
    ctx.shared.set(name, schema);
  } else if (known !== schema && shape(known) !== shape(schema)) {
    throw new Error(`ts-emitter: two different schemas are both named ${name}`);
  }
}

/** A schema's structure without its own description (shared blocks are re-described where used). */
function shape(schema: Schema): string {
  const { description: _d, ...rest } = schema;
  return JSON.stringify(rest);
}

function declareInterface(schema: Schema, name: string, ctx: EmitContext): string {
  const existing = ctx.local.get(name);
  if (existing !== undefined) throw new Error(`ts-emitter: type name ${name} is produced by two different paths`);
  const slot: Declaration = { name, text: "" };
  ctx.local.set(name, slot); // reserve first: parents print before their children
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([key, prop]) => {
    const type = typeOf(prop, `${name}${pascal(key)}`, ctx);
    const field = VALID_IDENT.test(key) ? key : JSON.stringify(key);
    return `${jsdoc(prop, "  ")}  ${field}${required.has(key) ? "" : "?"}: ${type};\n`;
  });
  slot.text = `${jsdoc(schema, "")}export interface ${name} {\n${members.join("")}}\n`;
  return name;
}

/** Emits the shared declarations (and their nested types) into one file body. */
export function emitShared(ctx: EmitContext): string {
  const sharedCtx = newContext(ctx.nameOf, ctx.canonical);
  const done = new Set<string>();
  // Shared types may reference further shared types: loop until no new ones appear.
  for (;;) {
    const pending = [...ctx.shared.keys(), ...sharedCtx.shared.keys()].filter((n) => !done.has(n)).sort();
    const next = pending[0];
    if (next === undefined) break;
    done.add(next);
    const schema = ctx.canonical(next) ?? ctx.shared.get(next) ?? sharedCtx.shared.get(next);
    if (schema !== undefined) emitNamed(next, schema, sharedCtx);
  }
  return [...sharedCtx.local.values()].map((d) => d.text).join("\n");
}

function emitNamed(name: string, schema: Schema, ctx: EmitContext): void {
  const type = typeOf({ ...schema }, name, ctx); // a copy: not recognised as shared, so it is declared
  if (!ctx.local.has(name)) ctx.local.set(name, { name, text: `${jsdoc(schema, "")}export type ${name} = ${type};\n` });
}
