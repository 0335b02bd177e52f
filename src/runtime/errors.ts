/**
 * The runtime's own errors. Each has a string `code` so logs and tests branch on meaning.
 * (KubeApiError, for failures of the API server, lives in src/kube/errors.ts.)
 */

export const ERROR_CODES = {
  /** A reconcile failed in a way retrying cannot fix (e.g. an invalid spec). */
  Terminal: "Terminal",
  /** The operator's configuration is invalid; startup only. */
  Config: "Config",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Thrown by a reconciler when retrying cannot help (controller-runtime's TerminalError). The loop
 * does not requeue it; it logs it once, counts it, and records a Warning event with `reason`.
 * The reconciler sets the object's Ready condition itself (it owns the status) before throwing.
 */
export class TerminalError extends Error {
  readonly code = ERROR_CODES.Terminal;
  /** UpperCamelCase, the same string as the condition reason it explains (e.g. "InvalidSpec"). */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalError";
    this.reason = reason;
  }
}

/** Every problem found in the configuration, reported together. */
export class ConfigError extends Error {
  readonly code = ERROR_CODES.Config;
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}
