// The security token's claims: their shape, and the checks the gateway makes once the token's
// signature holds (issuer, audience, lifetime, and that it is bound to this execution).
import { fail, type SealFailure } from "./codes.ts";
import { importPublicJwk, type Ed25519PublicJwk } from "./keys.ts";
import type { KeyObject } from "node:crypto";

export interface SecurityClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  /** The agent, "<namespace>/<agent>". */
  readonly sub: string;
  /** Space-separated grants, e.g. "tool-calls". */
  readonly scope: string;
  /** The execution, "<namespace>/<name>". */
  readonly execution: string;
  readonly iteration: number;
  readonly jti: string;
  /** NumericDate seconds. */
  readonly exp: number;
  readonly iat: number;
  /** Confirmation key (RFC 7800): envelopes under this token are signed by this key. */
  readonly cnf: { readonly jwk: Ed25519PublicJwk };
}

export interface ClaimChecks {
  readonly issuer: string;
  readonly audience: string;
  /** Epoch milliseconds. */
  readonly now: number;
  /** Longest lifetime (exp − iat) accepted, seconds: a longer token was not issued by us. */
  readonly maxTtlSeconds: number;
  /** How far iat may lie ahead of our clock, seconds. */
  readonly skewSeconds: number;
}

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isSeconds = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The claims with their types checked, and the cnf key imported; or InvalidClaims. */
export function readClaims(value: unknown): { claims: SecurityClaims; key: KeyObject } | SealFailure {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("InvalidClaims", "claims are not a JSON object");
  const c = value as Record<string, unknown>;
  for (const name of ["iss", "sub", "scope", "execution", "jti"] as const) {
    if (!isText(c[name])) return fail("InvalidClaims", `claim ${name} must be a non-empty string`);
  }
  const aud = c.aud;
  if (!isText(aud) && !(Array.isArray(aud) && aud.every(isText))) return fail("InvalidClaims", "claim aud must be a string or an array of strings");
  for (const name of ["exp", "iat", "iteration"] as const) {
    if (!isSeconds(c[name])) return fail("InvalidClaims", `claim ${name} must be a non-negative integer`);
  }
  const cnf = c.cnf as Record<string, unknown> | undefined;
  const key = typeof cnf === "object" && cnf !== null ? importPublicJwk(cnf.jwk) : undefined;
  if (key === undefined) return fail("InvalidClaims", "claim cnf must be { jwk: Ed25519 public JWK }");
  return { claims: c as unknown as SecurityClaims, key };
}

/** Issuer, audience and lifetime, in that order; undefined when all hold. */
export function checkClaims(claims: SecurityClaims, checks: ClaimChecks): SealFailure | undefined {
  if (claims.iss !== checks.issuer) return fail("WrongIssuer", `token issuer "${claims.iss}" is not "${checks.issuer}"`);
  const audiences = typeof claims.aud === "string" ? [claims.aud] : claims.aud;
  if (!audiences.includes(checks.audience)) return fail("WrongAudience", `token audience does not include "${checks.audience}"`);
  if (checks.now >= claims.exp * 1000) return fail("TokenExpired", `token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (claims.iat * 1000 > checks.now + checks.skewSeconds * 1000) return fail("TokenNotYetValid", "token issued in the future");
  if (claims.exp - claims.iat > checks.maxTtlSeconds) return fail("InvalidClaims", `token lifetime exceeds ${checks.maxTtlSeconds} s`);
  return undefined;
}

export interface Binding {
  readonly execution: string;
  readonly iteration: number;
  /** A grant the token's scope must include. */
  readonly scope: string;
}

/** The token must be for the execution and iteration the request is about, with the grant it needs. */
export function checkBinding(claims: SecurityClaims, expect: Binding): SealFailure | undefined {
  if (claims.execution !== expect.execution || claims.iteration !== expect.iteration) {
    return fail("TokenForAnotherExecution", `token is for ${claims.execution} iteration ${claims.iteration}, not ${expect.execution} iteration ${expect.iteration}`);
  }
  if (!claims.scope.split(" ").includes(expect.scope)) return fail("InsufficientScope", `token scope lacks "${expect.scope}"`);
  return undefined;
}
