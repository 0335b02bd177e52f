// What a builtin tool returns, and the error codes the model can see (docs/agent-tools.md).
// A tool never throws to its caller: every failure is a ToolFailure the model reads.

export const TOOL_ERROR_CODES = [
  "InvalidArguments",
  "UnknownTool",
  "InvalidPath",
  "PathOutsideWorkspace",
  "IsWorkspaceRoot",
  "NotFound",
  "AlreadyExists",
  "NotAFile",
  "NotADirectory",
  "DirectoryNotEmpty",
  "FileTooLarge",
  "BinaryFile",
  "EditTextNotFound",
  "EditTextAmbiguous",
  "CommandNotFound",
  "CommandStartFailed",
  "CommandTimedOut",
  "Aborted",
  "ToolTimedOut",
  "IoError",
  "Internal",
] as const;

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

export interface ToolError {
  code: ToolErrorCode;
  message: string;
  /** Extra facts for the model (e.g. the partial output of a command that timed out). */
  details?: Record<string, unknown>;
}

export interface ToolSuccess {
  ok: true;
  /** JSON-serialisable; the runtime serialises it for the model. */
  content: Record<string, unknown>;
}

export interface ToolFailure {
  ok: false;
  error: ToolError;
}

export type ToolResult = ToolSuccess | ToolFailure;

export const success = (content: Record<string, unknown>): ToolSuccess => ({ ok: true, content });

export const failure = (code: ToolErrorCode, message: string, details?: Record<string, unknown>): ToolFailure =>
  details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
