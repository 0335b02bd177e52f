// Strict base64url (RFC 4648 §5, no padding). Strict because a lenient decoder lets one value
// have many spellings (padding, stray characters, non-zero trailing bits), and a signed value
// must have exactly one.

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** The bytes, or undefined when `text` is not the one canonical base64url spelling of them. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

/** Decodes base64url that must hold exactly `length` bytes. */
export function decodeFixed(text: string, length: number): Buffer | undefined {
  const bytes = decodeBase64url(text);
  return bytes?.length === length ? bytes : undefined;
}
