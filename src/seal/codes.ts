// Every way SEAL refuses a request, with the HTTP status the gateway answers. docs/seal.md says
// when each is returned; a code is part of the wire contract, so names never change meaning.

/** Code → HTTP status. 401: the caller is not who it claims (or cannot prove it); 403: it is, but
 *  this token may not do this; 400/413: the request cannot be read; 503: the gateway cannot decide. */
export const SEAL_CODES = {
  // Envelope (verify step 1–3).
  PayloadTooLarge: 413,
  MalformedEnvelope: 400,
  MissingField: 400,
  InvalidField: 400,
  InvalidPayload: 400,
  NonCanonicalPayload: 400,
  // Security token (step 4).
  MalformedToken: 401,
  UnsupportedTokenAlgorithm: 401,
  UnknownKey: 401,
  BadTokenSignature: 401,
  InvalidClaims: 401,
  WrongIssuer: 401,
  WrongAudience: 401,
  TokenExpired: 401,
  TokenNotYetValid: 401,
  TokenForAnotherExecution: 403,
  InsufficientScope: 403,
  // Envelope signature, freshness, replay (steps 5–7).
  BadSignature: 401,
  StaleTimestamp: 401,
  FutureTimestamp: 401,
  ReplayedNonce: 401,
  ReplayCacheFull: 503,
  // Attestation.
  InvalidAttestationRequest: 400,
  WorkloadNotAuthenticated: 401,
  WorkloadNotPodBound: 401,
  UnknownWorkload: 403,
  TokenReviewFailed: 503,
} as const;

export type SealCode = keyof typeof SEAL_CODES;

export interface SealFailure {
  readonly ok: false;
  readonly code: SealCode;
  readonly message: string;
}

export type SealResult<T> = ({ readonly ok: true } & T) | SealFailure;

export function fail(code: SealCode, message: string): SealFailure {
  return { ok: false, code, message };
}

export function httpStatus(code: SealCode): number {
  return SEAL_CODES[code];
}
