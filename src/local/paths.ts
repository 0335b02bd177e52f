/** Where the local mode keeps things: the repository, AEGIS_HOME and the binary cache. */
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is src/local/paths.ts). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/** The local cluster's state folder: $AEGIS_HOME, or .aegis in the repository. */
export function aegisHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.AEGIS_HOME ?? join(repoRoot(), ".aegis"));
}

/**
 * Built control-plane binaries live outside the repository so that a fresh clone (and CI on the
 * same machine) reuses them: $AEGIS_CACHE_DIR, else $XDG_CACHE_HOME/aegis-operator, else
 * ~/.cache/aegis-operator.
 */
export function binaryCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_CACHE_DIR) return resolve(env.AEGIS_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), ".cache");
  return join(base, "aegis-operator", "control-plane");
}
