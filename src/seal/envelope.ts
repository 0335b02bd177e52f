// Reading an envelope off the wire (verify steps 1–3: size, parse, fields). Pure and total: any
// string or bytes give either the typed envelope or a documented code, never an exception.
import { decodeFixed } from "./base64url.ts";
import { canonicalize, CanonicalError, type JsonValue } from "./canonical.ts";
import { fail, type SealResult } from "./codes.ts";

export interface Envelope {
  readonly token: string;
  /** The request, as canonical JSON text. */
  readonly payload: string;
  /** Epoch milliseconds when the pod signed. */
  readonly timestamp: number;
  /** 16 random bytes, base64url. */
  readonly nonce: string;
  /** Ed25519 signature (64 bytes, base64url) of signedBytes(…). */
  readonly signature: string;
}

export const FIELDS = ["token", "payload", "timestamp", "nonce", "signature"] as const;
export const NONCE_BYTES = 16;
export const DEFAULT_MAX_ENVELOPE_BYTES = 1024 * 1024;
const MAX_TOKEN_CHARS = 8192;
// The signature part may be empty here so that alg "none" reaches the token check and gets its own code.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function parseEnvelope(body: string | Uint8Array, maxBytes = DEFAULT_MAX_ENVELOPE_BYTES): SealResult<{ envelope: Envelope; payload: JsonValue }> {
  const size = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength;
  if (size > maxBytes) return fail("PayloadTooLarge", `envelope is ${size} bytes, over ${maxBytes}`);
  let value: unknown;
  try {
    const text = typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
    value = JSON.parse(text);
  } catch {
    return fail("MalformedEnvelope", "envelope is not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("MalformedEnvelope", "envelope is not a JSON object");
  const e = value as Record<string, unknown>;
  const missing = FIELDS.find((f) => !Object.hasOwn(e, f));
  if (missing !== undefined) return fail("MissingField", `envelope lacks "${missing}"`);
  const unknown = Object.keys(e).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) return fail("MalformedEnvelope", `envelope field "${unknown}" is not part of SEAL v1`);
  const invalid = invalidField(e);
  if (invalid !== undefined) return fail("InvalidField", invalid);
  const envelope = e as unknown as Envelope;
  return readPayload(envelope);
}

function invalidField(e: Record<string, unknown>): string | undefined {
  if (typeof e.token !== "string" || e.token.length > MAX_TOKEN_CHARS || !TOKEN_SHAPE.test(e.token)) return "token must be a compact JWT (three base64url parts)";
  if (typeof e.payload !== "string") return "payload must be a string of canonical JSON";
  if (!Number.isSafeInteger(e.timestamp) || (e.timestamp as number) < 0) return "timestamp must be a non-negative integer (epoch milliseconds)";
  if (typeof e.nonce !== "string" || decodeFixed(e.nonce, NONCE_BYTES) === undefined) return `nonce must be ${NONCE_BYTES} bytes of base64url`;
  if (typeof e.signature !== "string" || decodeFixed(e.signature, 64) === undefined) return "signature must be 64 bytes of base64url";
  return undefined;
}

function readPayload(envelope: Envelope): SealResult<{ envelope: Envelope; payload: JsonValue }> {
  let payload: JsonValue;
  let canonical: string;
  try {
    payload = JSON.parse(envelope.payload) as JsonValue;
    canonical = canonicalize(payload);
  } catch (error) {
    const why = error instanceof CanonicalError ? error.message : "not JSON";
    return fail("InvalidPayload", `payload: ${why}`);
  }
  // Exactly one spelling is accepted, so the bytes signed are the bytes every reader means.
  if (canonical !== envelope.payload) return fail("NonCanonicalPayload", "payload is not in canonical form (sorted keys, no whitespace, shortest numbers)");
  return { ok: true, envelope, payload };
}
