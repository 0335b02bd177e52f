// Small builders for OpenAPI v3 *structural* schemas (the dialect CustomResourceDefinitions accept).
// Every builder takes the field's description first and throws without one: the description is
// what `kubectl explain` prints, so a field without one is a bug, not a style issue.

/** A CEL rule (`x-kubernetes-validations` entry). `fieldPath` points the error at a child field. */
export interface Rule {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps this project uses. */
export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  description?: string;
  format?: string;
  pattern?: string;
  enum?: (string | number)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  anyOf?: Schema[];
  "x-kubernetes-int-or-string"?: true;
  "x-kubernetes-preserve-unknown-fields"?: true;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: Rule[];
}

/** Options every builder accepts. */
export interface Common<T = unknown> {
  default?: T;
  rules?: Rule[];
}

/** Strings default to this bound: CEL cost estimation needs a maximum length for every string. */
export const DEFAULT_MAX_LENGTH = 256;

// Type names for the TypeScript emitter, kept beside (not inside) the schema so the CRD stays clean.
const typeNames = new WeakMap<Schema, string>();

// The first schema given each name: its description documents the shared type.
const firstNamed = new Map<string, Schema>();

/** Gives a schema a TypeScript type name (emitted once, shared by every kind that uses it). */
export function named<S extends Schema>(name: string, schema: S): S {
  typeNames.set(schema, name);
  if (!firstNamed.has(name)) firstNamed.set(name, schema);
  return schema;
}

/** The schema first given `name` (copies made by describe() share the name but not the description). */
export function namedSchema(name: string): Schema | undefined {
  return firstNamed.get(name);
}

/** The TypeScript type name given with `named`, if any. */
export function typeNameOf(schema: Schema): string | undefined {
  return typeNames.get(schema);
}

function need(description: string): string {
  if (typeof description !== "string" || description.trim() === "") {
    throw new Error("schema builder: every field needs a description (kubectl explain prints it)");
  }
  return description;
}

function finish<S extends Schema>(schema: S, opts: Common | undefined): S {
  if (opts?.default !== undefined) schema.default = opts.default;
  if (opts?.rules && opts.rules.length > 0) schema["x-kubernetes-validations"] = opts.rules;
  return schema;
}

/** A CEL rule. Write `message` so it names the field: the API server prefixes only the rule's path. */
export function rule(expr: string, message: string, fieldPath?: string, reason?: Rule["reason"]): Rule {
  const r: Rule = { rule: expr, message };
  if (fieldPath !== undefined) r.fieldPath = fieldPath;
  if (reason !== undefined) r.reason = reason;
  return r;
}

export interface StringOpts extends Common<string> {
  pattern?: string;
  enum?: readonly string[];
  minLength?: number;
  /** Defaults to DEFAULT_MAX_LENGTH; enums need none. */
  maxLength?: number;
  format?: "date-time" | "uri" | "byte";
}

export function string(description: string, opts: StringOpts = {}): Schema {
  const s: Schema = { type: "string", description: need(description) };
  if (opts.format !== undefined) s.format = opts.format;
  if (opts.enum !== undefined) {
    s.enum = [...opts.enum];
  } else if (opts.format !== "date-time") {
    s.maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  }
  if (opts.minLength !== undefined) s.minLength = opts.minLength;
  if (opts.pattern !== undefined) s.pattern = opts.pattern;
  if (opts.default !== undefined && opts.enum !== undefined && !opts.enum.includes(opts.default)) {
    throw new Error(`schema builder: default ${opts.default} is not one of ${opts.enum.join(", ")}`);
  }
  return finish(s, opts);
}

/** A string restricted to the given values (Kubernetes style: CamelCase values). */
export function enumOf(description: string, values: readonly string[], opts: Common<string> = {}): Schema {
  return string(description, { ...opts, enum: values });
}

/** An RFC 3339 timestamp, e.g. 2026-01-02T15:04:05Z. */
export function timestamp(description: string): Schema {
  return string(description, { format: "date-time" });
}

export interface NumberOpts extends Common<number> {
  minimum?: number;
  maximum?: number;
}

function numeric(type: "integer" | "number", description: string, opts: NumberOpts, format?: string): Schema {
  const s: Schema = { type, description: need(description) };
  if (format !== undefined) s.format = format;
  if (opts.minimum !== undefined) s.minimum = opts.minimum;
  if (opts.maximum !== undefined) s.maximum = opts.maximum;
  return finish(s, opts);
}

/** A 32-bit integer. */
export function integer(description: string, opts: NumberOpts = {}): Schema {
  return numeric("integer", description, opts, "int32");
}

/** A 64-bit integer (token counts, generations). */
export function int64(description: string, opts: NumberOpts = {}): Schema {
  return numeric("integer", description, opts, "int64");
}

/** A floating-point number (scores, weights, temperatures). */
export function number(description: string, opts: NumberOpts = {}): Schema {
  return numeric("number", description, opts, "double");
}

export function boolean(description: string, opts: Common<boolean> = {}): Schema {
  return finish({ type: "boolean", description: need(description) }, opts);
}

export interface ObjectOpts extends Common<Record<string, unknown>> {
  required?: readonly string[];
}

/** An object with known properties; every property must carry a description. */
export function object(description: string, props: Record<string, Schema>, opts: ObjectOpts = {}): Schema {
  need(description);
  for (const [key, prop] of Object.entries(props)) {
    if (!prop.description || prop.description.trim() === "") {
      throw new Error(`schema builder: property "${key}" has no description`);
    }
  }
  for (const key of opts.required ?? []) {
    if (!(key in props)) throw new Error(`schema builder: required property "${key}" is not defined`);
  }
  const s: Schema = { type: "object", description, properties: props };
  if (opts.required && opts.required.length > 0) s.required = [...opts.required];
  return finish(s, opts);
}

export interface ArrayOpts extends Common<unknown[]> {
  minItems?: number;
  /** `map` lists need `mapKeys`; they merge per key under server-side apply. */
  listType?: "atomic" | "set" | "map";
  mapKeys?: readonly string[];
}

/** A list. `maxItems` is mandatory: CEL cost estimation and etcd object size both need a bound. */
export function array(description: string, items: Schema, maxItems: number, opts: ArrayOpts = {}): Schema {
  const s: Schema = { type: "array", description: need(description), items, maxItems };
  if (opts.minItems !== undefined) s.minItems = opts.minItems;
  if (opts.listType !== undefined) s["x-kubernetes-list-type"] = opts.listType;
  if (opts.listType === "map") {
    if (!opts.mapKeys || opts.mapKeys.length === 0) throw new Error("schema builder: map lists need mapKeys");
    for (const key of opts.mapKeys) {
      if (!items.required?.includes(key)) {
        throw new Error(`schema builder: list-map key "${key}" must be a required property of the items`);
      }
    }
    s["x-kubernetes-list-map-keys"] = [...opts.mapKeys];
  }
  return finish(s, opts);
}

/** A list of names (listType set: no duplicates). */
export function stringSet(description: string, item: Schema, maxItems: number): Schema {
  return array(description, item, maxItems, { listType: "set" });
}

/** A string→value map (`additionalProperties`). */
export function map(description: string, values: Schema, maxProperties: number, opts: Common = {}): Schema {
  return finish({ type: "object", description: need(description), additionalProperties: values, maxProperties }, opts);
}

/** Arbitrary JSON (any type), kept as written: JSON Schemas, input data. */
export function json(description: string): Schema {
  return { description: need(description), "x-kubernetes-preserve-unknown-fields": true };
}

/** An arbitrary JSON object, kept as written. */
export function jsonObject(description: string): Schema {
  return { type: "object", description: need(description), "x-kubernetes-preserve-unknown-fields": true };
}

/** The same schema with another description (shared building blocks are described where used). */
export function describe(schema: Schema, description: string): Schema {
  const name = typeNameOf(schema);
  const copy: Schema = { ...schema, description: need(description) };
  return name === undefined ? copy : named(name, copy);
}
