// The pod's SEAL security token (docs/seal.md §8): attested once and shared by concurrent calls,
// attested again once REFRESH_SHARE of its lifetime has passed on the pod's own clock — so an
// iteration longer than the token's lifetime never signs with an expired token (and never
// leaves a TokenExpired refusal in the audit trail) — or at once when the gateway refused it.

/** Re-attest after this share of the token's lifetime (600 s → after 480 s). */
export const REFRESH_SHARE = 0.8;

export interface SealSession {
  /** The token to sign with now (attesting first when there is none or it is due). */
  token(signal: AbortSignal): Promise<string>;
  /** Forgets the token (the gateway refused it): the next call attests again. */
  drop(): void;
}

interface Held {
  readonly token: string;
  /** Pod-clock epoch ms after which the token is attested again. */
  readonly refreshAt: number;
}

/**
 * The token's lifetime (exp − iat, ms) from its claims, or undefined when they cannot be read.
 * Only timing is taken from it: the pod trusts nothing in the token, the gateway verifies it.
 */
export function tokenLifetimeMs(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iat?: unknown; exp?: unknown };
    const { iat, exp } = claims;
    return typeof iat === "number" && typeof exp === "number" && exp > iat ? (exp - iat) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** `attest` obtains a fresh token; `clock` is the pod's (the gateway's clock never matters: only elapsed time does). */
export function createSealSession(attest: (signal: AbortSignal) => Promise<string>, clock: () => number): SealSession {
  let pending: Promise<Held> | undefined;

  const start = (signal: AbortSignal): Promise<Held> => {
    if (pending !== undefined) return pending;
    const attestedAt = clock();
    const attempt: Promise<Held> = attest(signal).then((token) => {
      const lifetime = tokenLifetimeMs(token);
      return { token, refreshAt: lifetime === undefined ? Infinity : attestedAt + REFRESH_SHARE * lifetime };
    });
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
    pending = attempt;
    return attempt;
  };

  return {
    async token(signal) {
      const current = start(signal);
      const held = await current;
      if (clock() < held.refreshAt) return held.token;
      // Due: one new attestation, shared by every call that finds it due.
      if (pending === current) pending = undefined;
      return (await start(signal)).token;
    },
    drop() {
      pending = undefined;
    },
  };
}
