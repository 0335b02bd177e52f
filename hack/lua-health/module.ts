/**
 * The gopher-lua runner of hack/lua-health/ (the interpreter Argo CD embeds), built from the Go
 * module proxy and cached like the control-plane binaries: one folder per gopher-lua version plus
 * a hash of go.mod, go.sum and main.go.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureModules } from "../../src/local/controlplane/build.ts";
import { ControlPlaneError } from "../../src/local/controlplane/errors.ts";
import type { GoModule } from "../../src/local/controlplane/modules.ts";
import { repoRoot } from "../../src/local/paths.ts";

export const LUA_HEALTH: GoModule = {
  name: "lua-health",
  pinnedModule: "github.com/yuin/gopher-lua",
  packages: [{ pkg: "aegis.dev/hack/lua-health", binary: "lua-health" }],
  dir: join(repoRoot(), "hack", "lua-health"),
  sources: ["main.go"],
};

/** Returns the path of the built runner, building it when there is no intact cached build. */
export async function ensureLuaHealth(): Promise<string> {
  try {
    const built = await ensureModules([LUA_HEALTH]);
    return built[LUA_HEALTH.name]!.binaries["lua-health"]!;
  } catch (cause) {
    const reason = cause instanceof ControlPlaneError ? cause.describe() : String(cause);
    throw new ControlPlaneError(`the Lua health-check runner (hack/lua-health) is not built and could not be built:\n${reason}`, {
      cause,
      hint: "run `npm run lua-health:build` (needs Go 1.26+ on PATH and the Go module proxy)",
    });
  }
}

export interface Health {
  readonly status?: string;
  readonly message?: string;
  /** Set when the script failed (Argo CD would show the resource as Unknown). */
  readonly error?: string;
}

/** Runs the Lua script file on each object (the `obj` Argo CD gives the script), in one process. */
export function runHealthScript(binary: string, scriptPath: string, objects: readonly unknown[]): Health[] {
  const run = spawnSync(binary, ["-batch", scriptPath], { input: JSON.stringify(objects), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`running ${binary}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${binary} exited with ${run.status}: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Health[];
}
