/**
 * Every failure of a call to the API server, typed by its Kubernetes `reason` so callers
 * branch on meaning (NotFound, Conflict…) instead of status codes or message text.
 */
export const KUBE_REASONS = [
  "BadRequest",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "AlreadyExists",
  "Conflict",
  "Gone",
  "Invalid",
  "TooManyRequests",
  "Timeout",
  "ServerError",
  "ServiceUnavailable",
  "Unreachable",
  "Unknown",
] as const;

export type KubeReason = (typeof KUBE_REASONS)[number];

export interface FieldCause {
  readonly field?: string;
  readonly message?: string;
  readonly reason?: string;
}

export class KubeApiError extends Error {
  readonly reason: KubeReason;
  /** HTTP status; 0 when the server was not reached. */
  readonly code: number;
  readonly causes: readonly FieldCause[];
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: KubeReason, code: number, message: string, options: { causes?: FieldCause[]; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KubeApiError";
    this.reason = reason;
    this.code = code;
    this.causes = options.causes ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isKubeApiError = (err: unknown): err is KubeApiError => err instanceof KubeApiError;
export const isNotFound = (err: unknown): boolean => isKubeApiError(err) && err.reason === "NotFound";
export const isConflict = (err: unknown): boolean => isKubeApiError(err) && err.reason === "Conflict";
export const isAlreadyExists = (err: unknown): boolean => isKubeApiError(err) && err.reason === "AlreadyExists";
export const isGone = (err: unknown): boolean => isKubeApiError(err) && err.reason === "Gone";
