// The context every builtin tool runs with: where the workspace is, the limits, a cancel signal.

export interface ToolLimits {
  /** Largest output (file text, each command stream) returned to the model. */
  outputCapBytes: number;
  /** Per-call timeout; for cmd.run it is also the ceiling of the `timeoutSeconds` argument. */
  timeoutMs: number;
  /** Largest file fs.read, fs.edit and fs.write accept. */
  maxFileBytes: number;
  /** Most entries fs.list returns. */
  maxListEntries: number;
  /** cmd.run: delay between SIGTERM and SIGKILL of the process group. */
  killGraceMs: number;
}

export interface ToolContext {
  /** Absolute path of the workspace directory (may itself be a symlink, as on the local node). */
  workspaceRoot: string;
  /**
   * The absolute path the agent knows its workspace by (default `/workspace`). Absolute paths
   * under it are mapped into workspaceRoot.
   */
  mountPath: string;
  limits: ToolLimits;
  signal: AbortSignal;
  /** The runtime's environment, from which cmd.run copies only `envAllowlist`. */
  runtimeEnv: Readonly<Record<string, string | undefined>>;
  /** Names of runtime variables cmd.run passes on. */
  envAllowlist: readonly string[];
}

export const DEFAULT_LIMITS: ToolLimits = {
  outputCapBytes: 512 * 1024,
  timeoutMs: 60_000,
  maxFileBytes: 10 * 1024 * 1024,
  maxListEntries: 1000,
  killGraceMs: 2000,
};

export const DEFAULT_ENV_ALLOWLIST: readonly string[] = ["PATH", "LANG", "LC_ALL", "TZ"];

export const DEFAULT_MOUNT_PATH = "/workspace";

export interface ToolContextOptions {
  workspaceRoot: string;
  mountPath?: string;
  limits?: Partial<ToolLimits>;
  signal?: AbortSignal;
  runtimeEnv?: Readonly<Record<string, string | undefined>>;
  envAllowlist?: readonly string[];
}

export function createToolContext(options: ToolContextOptions): ToolContext {
  return {
    workspaceRoot: options.workspaceRoot,
    mountPath: options.mountPath ?? DEFAULT_MOUNT_PATH,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    signal: options.signal ?? new AbortController().signal,
    runtimeEnv: options.runtimeEnv ?? process.env,
    envAllowlist: options.envAllowlist ?? DEFAULT_ENV_ALLOWLIST,
  };
}
