// Pure: the environment of a command run by cmd.run. Nothing is inherited from the runtime except
// the allowlisted names; the runtime's secrets (e.g. its gateway credentials) never reach it.

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fallback PATH when the runtime has none. */
export const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

export interface CommandEnvInput {
  runtimeEnv: Readonly<Record<string, string | undefined>>;
  allowlist: readonly string[];
  home: string;
  cwd: string;
  /** Variables the call adds; they win over everything else. */
  additions?: Readonly<Record<string, string>>;
}

export function buildCommandEnv(input: CommandEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of input.allowlist) {
    const value = input.runtimeEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= DEFAULT_PATH;
  env.HOME = input.home;
  env.PWD = input.cwd;
  env.TERM = "dumb";
  for (const [name, value] of Object.entries(input.additions ?? {})) env[name] = value;
  return env;
}
