/**
 * Bounding what one run may write into one row. Payloads are stored as jsonb; a runaway model or
 * tool (a 50 MB file read, a 10,000-level nested object) must not blow up a row, so every JSON
 * value and text column goes through these pure functions first.
 *
 * - PostgreSQL jsonb cannot hold U+0000 or unpaired UTF-16 surrogates: both become U+FFFD (in
 *   keys too). -0 becomes 0 (jsonb has no negative zero). These are not flagged as truncation.
 * - Nesting deeper than MAX_JSON_DEPTH is replaced by the string "[truncated: too deep]".
 * - A value whose JSON text is longer than the cap (bytes, UTF-8) is replaced by
 *   `{ "truncated": true, "originalBytes": n, "preview": "<first bytes of the JSON text>" }`.
 * In the last two cases `truncated` is true, and the caller stores it in the row's flag column.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Cap for one domain event's payload (64 KiB of JSON text). */
export const EVENT_PAYLOAD_CAP_BYTES = 64 * 1024;
/** Cap for one transcript turn's content (256 KiB: a turn may carry a file the model read). */
export const TURN_CONTENT_CAP_BYTES = 256 * 1024;
/** Cap for one tool call's arguments (64 KiB). */
export const TOOL_ARGUMENTS_CAP_BYTES = 64 * 1024;
/** Cap for short text columns: tool result summaries and errors (8 KiB). */
export const TEXT_CAP_BYTES = 8 * 1024;
/** Deepest nesting kept; PostgreSQL and JSON.stringify both recurse. */
export const MAX_JSON_DEPTH = 64;
/** Bytes of the JSON text kept as the preview of a truncated value. */
export const PREVIEW_BYTES = 4 * 1024;

export interface Bounded<T> {
  readonly value: T;
  readonly truncated: boolean;
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replace what PostgreSQL text/jsonb cannot hold (NUL, lone surrogates) with U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, "\ufffd");
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8");
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** A text column bounded to `capBytes` (UTF-8) and made storable. */
export function boundText(text: string, capBytes: number = TEXT_CAP_BYTES): Bounded<string> {
  const clean = storableText(text);
  const kept = utf8Prefix(clean, capBytes);
  return { value: kept, truncated: kept.length < clean.length };
}

/** A JSON value made storable as jsonb and bounded to `capBytes` of JSON text. */
export function boundJson(input: JsonValue, capBytes: number): Bounded<JsonValue> {
  const state = { tooDeep: false };
  const value = clean(input, 0, state);
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= capBytes) return { value, truncated: state.tooDeep };
  return { value: { truncated: true, originalBytes: bytes, preview: utf8Prefix(text, Math.min(PREVIEW_BYTES, capBytes)) }, truncated: true };
}

function clean(value: JsonValue, depth: number, state: { tooDeep: boolean }): JsonValue {
  if (typeof value === "string") return storableText(value);
  if (typeof value === "number") return Object.is(value, -0) ? 0 : Number.isFinite(value) ? value : null;
  if (value === null || typeof value === "boolean") return value;
  if (depth >= MAX_JSON_DEPTH) {
    state.tooDeep = true;
    return "[truncated: too deep]";
  }
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1, state));
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a "__proto__" key must stay an ordinary key.
    Object.defineProperty(out, storableText(key), { value: clean(item, depth + 1, state), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
