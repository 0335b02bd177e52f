// Typed failures of gateway calls, so the loop and main decide on a code, not on HTTP details.

export const GATEWAY_ERROR_CODES = ["Unauthorized", "Forbidden", "HttpError", "Network", "Timeout", "Aborted", "InvalidResponse"] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  /** The HTTP status, when the gateway answered. */
  readonly status: number | undefined;
  /** The call, e.g. "POST /v1/tool-calls". */
  readonly call: string;
  /** The answer's Retry-After, in ms, when it carried one. */
  readonly retryAfterMs: number | undefined;
  /** The SEAL refusal code (docs/seal.md §5), when the gateway answered with one. */
  readonly sealCode: string | undefined;

  constructor(code: GatewayErrorCode, call: string, message: string, options: { status?: number; cause?: unknown; retryAfterMs?: number; sealCode?: string } = {}) {
    super(`${call}: ${message}`, { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status;
    this.call = call;
    this.retryAfterMs = options.retryAfterMs;
    this.sealCode = options.sealCode;
  }
}

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;

/** fetch rejects with a TypeError ("fetch failed") whose cause is the socket error: nothing was answered. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/.test(code) : true;
}
