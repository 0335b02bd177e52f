// The security token: a JWT (RFC 7519) the gateway signs with Ed25519 (alg EdDSA, RFC 8037).
// Verification is strict and fixed: only EdDSA, only typ JWT, only the header members we write,
// and the key is chosen by kid from the gateway's own keys — never from the token (no `jwk`,
// `jku`, `x5u`), which rules out alg "none", HS256-with-the-public-key and key injection.
import { randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { decodeBase64url, decodeFixed, encodeBase64url } from "./base64url.ts";
import { fail, type SealResult } from "./codes.ts";
import { exportPublicJwk } from "./keys.ts";
import { checkClaims, readClaims, type ClaimChecks, type SecurityClaims } from "./token-claims.ts";

export interface TokenSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export interface TokenSubject {
  readonly sub: string;
  readonly scope: string;
  readonly execution: string;
  readonly iteration: number;
  /** The agent's envelope key. */
  readonly publicKey: KeyObject;
}

export interface IssueOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly signingKey: TokenSigningKey;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

const HEADER_MEMBERS = new Set(["alg", "typ", "kid"]);

const json = (value: unknown) => encodeBase64url(Buffer.from(JSON.stringify(value), "utf8"));

export function issueToken(subject: TokenSubject, options: IssueOptions): { token: string; claims: SecurityClaims } {
  const iat = Math.floor(options.clock() / 1000);
  const claims: SecurityClaims = {
    iss: options.issuer,
    aud: options.audience,
    sub: subject.sub,
    scope: subject.scope,
    execution: subject.execution,
    iteration: subject.iteration,
    jti: randomUUID(),
    iat,
    exp: iat + options.ttlSeconds,
    cnf: { jwk: exportPublicJwk(subject.publicKey) },
  };
  const input = `${json({ alg: "EdDSA", typ: "JWT", kid: options.signingKey.kid })}.${json(claims)}`;
  const signature = sign(null, Buffer.from(input, "ascii"), options.signingKey.privateKey);
  return { token: `${input}.${encodeBase64url(signature)}`, claims };
}

export interface VerifyTokenOptions extends Omit<ClaimChecks, "now"> {
  /** The gateway's token verification keys by kid (more than one during a rotation). */
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly clock: () => number;
}

/** Who signed a token and what it says, once its signature holds. */
export interface AuthenticatedToken {
  readonly claims: SecurityClaims;
  /** The agent's envelope key (the cnf claim). */
  readonly agentKey: KeyObject;
  /** The gateway key that signed it, and its kid. */
  readonly kid: string;
  readonly key: KeyObject;
}

/** Remembers authenticated tokens (token-cache.ts), so a token used for many calls is verified once. */
export interface TokenAuthenticator {
  authenticate(token: string, keys: ReadonlyMap<string, KeyObject>): SealResult<AuthenticatedToken>;
}

/** Checks, in order: structure, header (alg, typ, members), kid, signature, claim types. No clock:
 *  the answer for a given token and key set never changes, which is what makes it cacheable. */
export function authenticateToken(token: string, keys: ReadonlyMap<string, KeyObject>): SealResult<AuthenticatedToken> {
  const parts = token.split(".");
  if (parts.length !== 3) return fail("MalformedToken", "token is not three base64url parts");
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (typeof header !== "object" || header === null || Array.isArray(header)) return fail("MalformedToken", "token header is not a JSON object");
  const h = header as Record<string, unknown>;
  if (h.alg !== "EdDSA") return fail("UnsupportedTokenAlgorithm", `token alg ${JSON.stringify(h.alg)} is not "EdDSA"`);
  if (h.typ !== "JWT") return fail("MalformedToken", 'token typ is not "JWT"');
  const extra = Object.keys(h).find((m) => !HEADER_MEMBERS.has(m));
  if (extra !== undefined) return fail("MalformedToken", `token header member "${extra}" is not accepted`);
  const kid = h.kid;
  const key = typeof kid === "string" ? keys.get(kid) : undefined;
  if (key === undefined) return fail("UnknownKey", `token kid ${JSON.stringify(kid)} names no gateway key`);
  const claimsBytes = decodeBase64url(claimsPart);
  if (claimsBytes === undefined) return fail("MalformedToken", "token claims are not base64url");
  const signature = decodeFixed(signaturePart, 64);
  if (signature === undefined) return fail("MalformedToken", "token signature is not 64 bytes of base64url");
  // Both parts are now known to be base64url (ASCII), so the signing input has one byte spelling.
  if (!verify(null, Buffer.from(`${headerPart}.${claimsPart}`, "ascii"), key, signature)) return fail("BadTokenSignature", "token signature does not verify");
  // Only now are the claims worth reading: they are the gateway's own words.
  const read = readClaims(parseUtf8Json(claimsBytes));
  if ("ok" in read) return read;
  return { ok: true, claims: read.claims, agentKey: read.key, kid: kid as string, key };
}

/** authenticateToken (through `cache` when given), then issuer, audience and lifetime. */
export function verifyToken(token: string, options: VerifyTokenOptions, cache?: TokenAuthenticator): SealResult<AuthenticatedToken> {
  const authenticated = cache ? cache.authenticate(token, options.keys) : authenticateToken(token, options.keys);
  if (!authenticated.ok) return authenticated;
  return checkClaims(authenticated.claims, { ...options, now: options.clock() }) ?? authenticated;
}

function decodeJson(part: string): unknown {
  const bytes = decodeBase64url(part);
  return bytes === undefined ? undefined : parseUtf8Json(bytes);
}

function parseUtf8Json(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
