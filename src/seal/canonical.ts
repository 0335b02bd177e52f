// Canonical JSON: one byte string per JSON value, so the pod and the gateway sign and verify the
// same bytes without agreeing on a serializer. Rules (docs/seal.md): object keys sorted by UTF-16
// code units, no whitespace, strings and numbers as JSON.stringify prints them, UTF-8. Values JSON
// cannot carry faithfully are refused rather than coerced: non-finite numbers, lone surrogates,
// undefined, functions, bigints, class instances.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Nesting beyond this is refused: it bounds recursion (a 64 KiB envelope could nest 32,000 deep). */
export const MAX_DEPTH = 64;

export class CanonicalError extends Error {}

export function canonicalize(value: unknown): string {
  return write(value, 0);
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), "utf8");
}

/** True when `text` is exactly the canonical form of the JSON value it denotes. */
export function isCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalError(`nested deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalError(`non-finite number ${value}`);
      return JSON.stringify(value);
    case "string":
      return writeString(value);
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((v) => write(v, depth + 1)).join(",")}]`;
      return writeObject(value, depth);
    default:
      throw new CanonicalError(`${typeof value} is not JSON`);
  }
}

function writeString(s: string): string {
  if (!s.isWellFormed()) throw new CanonicalError("string holds a lone surrogate");
  return JSON.stringify(s);
}

function writeObject(value: object, depth: number): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new CanonicalError(`${proto?.constructor?.name ?? "object"} is not a plain JSON object`);
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, as RFC 8785 does.
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${writeString(k)}:${write(record[k], depth + 1)}`).join(",")}}`;
}
