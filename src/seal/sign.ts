// What the agent pod does for each gateway call: wrap the request in an envelope signed with the
// execution's private key (which never leaves the pod).
import { randomBytes, sign, type KeyObject } from "node:crypto";
import { encodeBase64url } from "./base64url.ts";
import { canonicalize } from "./canonical.ts";
import { NONCE_BYTES, type Envelope } from "./envelope.ts";
import { signedBytes } from "./signed-bytes.ts";

export interface SignOptions {
  /** Where the envelope is sent, "<METHOD> <path>", e.g. "POST /v1/tool-calls". */
  readonly route: string;
  /** The security token from attestation. */
  readonly token: string;
  readonly privateKey: KeyObject;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** Only tests pass one; a nonce must never repeat under a token. */
  readonly nonce?: string;
}

/** Throws CanonicalError when `payload` is not a JSON value (a bug in the caller, not an attack). */
export function signEnvelope(payload: unknown, options: SignOptions): Envelope {
  const fields = {
    token: options.token,
    payload: canonicalize(payload),
    timestamp: Math.floor(options.clock()),
    nonce: options.nonce ?? encodeBase64url(randomBytes(NONCE_BYTES)),
  };
  const signature = sign(null, signedBytes({ ...fields, route: options.route }), options.privateKey);
  return { ...fields, signature: encodeBase64url(signature) };
}

/** The request body: the envelope as JSON (its own key order does not matter; the payload's does). */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}
