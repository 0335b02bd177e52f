// The exact bytes an envelope signature covers. A fixed domain label first, so a SEAL signature
// can never be replayed as a signature of anything else made with the same key (and vice versa);
// then the route the request is sent to (not sent in the envelope: both sides know it, and signing
// it keeps an envelope from being replayed to another route with a body of the same shape), then
// the four fields, separated by LF. No field can contain LF — the route is refused if it does, the
// token and nonce are base64url, the timestamp is decimal digits, and canonical JSON escapes every
// control character — so the fields cannot be shifted across the separators.

export const SIGNING_DOMAIN = "aegis-seal/v1 envelope";

export interface SignedFields {
  /** "<METHOD> <path>", e.g. "POST /v1/tool-calls". */
  readonly route: string;
  readonly token: string;
  /** Canonical JSON. */
  readonly payload: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  /** base64url. */
  readonly nonce: string;
}

export function signedBytes(f: SignedFields): Buffer {
  if (f.route.includes("\n")) throw new Error("a route cannot contain LF");
  return Buffer.from(`${SIGNING_DOMAIN}\n${f.route}\n${f.token}\n${f.payload}\n${f.timestamp}\n${f.nonce}`, "utf8");
}
