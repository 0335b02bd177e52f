/**
 * An error in starting, building or stopping the local control plane. `hint` tells the user
 * what to do about it; `logPath` points at the log that has the details.
 */
export class ControlPlaneError extends Error {
  readonly hint: string | undefined;
  readonly logPath: string | undefined;

  constructor(message: string, options: { hint?: string; logPath?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ControlPlaneError";
    this.hint = options.hint;
    this.logPath = options.logPath;
  }

  /** The message as a user should see it: what failed, where the log is, what to do. */
  describe(): string {
    const lines = [this.message];
    if (this.logPath) lines.push(`log: ${this.logPath}`);
    if (this.hint) lines.push(`hint: ${this.hint}`);
    return lines.join("\n");
  }
}
