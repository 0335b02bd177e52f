/** Finding a usable Go toolchain, with a clear error when there is none. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ControlPlaneError } from "./errors.ts";

const run = promisify(execFile);

export const MIN_GO = { major: 1, minor: 26 } as const;

/** Parses `go version` output ("go version go1.26.8 linux/amd64") into major and minor. */
export function parseGoVersion(output: string): { major: number; minor: number } | undefined {
  const match = /\bgo(\d+)\.(\d+)/.exec(output.replace(/^go version /, ""));
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function isGoRecentEnough(v: { major: number; minor: number }): boolean {
  return v.major > MIN_GO.major || (v.major === MIN_GO.major && v.minor >= MIN_GO.minor);
}

/** Returns the `go` command to use, or throws a ControlPlaneError that says how to get one. */
export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const go = env.GO ?? "go";
  let output: string;
  try {
    output = (await run(go, ["version"], { env })).stdout;
  } catch (cause) {
    throw new ControlPlaneError(`Go was not found ('${go} version' failed)`, {
      cause,
      hint:
        `the local control plane is built from the Go module proxy and needs Go ` +
        `${MIN_GO.major}.${MIN_GO.minor} or newer on PATH (or set GO=/path/to/go)`,
    });
  }
  const version = parseGoVersion(output);
  if (!version || !isGoRecentEnough(version)) {
    throw new ControlPlaneError(`Go is too old: ${output.trim()}`, {
      hint: `install Go ${MIN_GO.major}.${MIN_GO.minor} or newer (GOTOOLCHAIN=local is used, so Go will not download one)`,
    });
  }
  return go;
}
