/**
 * Builds the control-plane binaries from the Go modules in hack/control-plane/ and caches them
 * outside the repository, one folder per module version (see cacheKey). A cached build is
 * checked against the SHA-256 sums recorded when it was made; a missing or corrupt binary
 * means a rebuild.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { binaryCacheRoot } from "../paths.ts";
import { ControlPlaneError } from "./errors.ts";
import { findGo } from "./go-toolchain.ts";
import { type GoModule, MODULES, cacheKey, moduleDir, moduleVersion } from "./modules.ts";
import { createProgress } from "./progress.ts";
import { kwokStagesYaml } from "./kwok-stages.ts";

export interface BuiltModule {
  readonly module: string;
  readonly version: string;
  readonly dir: string;
  /** Binary name → absolute path. */
  readonly binaries: Readonly<Record<string, string>>;
}

interface Manifest {
  version: string;
  sha256: Record<string, string>;
}

const MANIFEST = "manifest.json";

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** True when every binary the manifest names exists with its recorded checksum. */
async function isIntact(dir: string, mod: GoModule): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as Manifest;
  } catch {
    return false;
  }
  for (const { binary } of mod.packages) {
    const expected = manifest.sha256?.[binary];
    const path = join(dir, binary);
    if (!expected || !existsSync(path) || (await sha256File(path)) !== expected) return false;
  }
  return true;
}

/** The file name `go build -o dir/` gives a package's binary: its last path element, skipping a /vN suffix. */
export function goBinaryName(pkg: string): string {
  const parts = pkg.split("/");
  const last = parts.at(-1) ?? pkg;
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts.at(-2) ?? last) : last;
}

function versionLdflags(mod: GoModule, version: string): string {
  if (mod.name !== "kubernetes") return "-s -w";
  // Without these, /version reports v0.0.0-master; the keys are those of k8s hack/lib/version.sh.
  const [major, minor] = version.replace(/^v/, "").split(".");
  const vars = { gitVersion: version, gitMajor: major, gitMinor: minor, gitTreeState: "clean" };
  const sets = Object.entries(vars).flatMap(([key, value]) => [
    `-X k8s.io/component-base/version.${key}=${value}`,
    `-X k8s.io/client-go/pkg/version.${key}=${value}`,
  ]);
  return ["-s", "-w", ...sets].join(" ");
}

function goEnv(): NodeJS.ProcessEnv {
  // GOWORK=off: a go.work above the repo must not change resolution. GOTOOLCHAIN=local: never
  // download another Go. The default -mod=readonly keeps the committed go.sum authoritative.
  return { ...process.env, GOWORK: "off", GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "-trimpath" };
}

/** Runs a go command in the module folder, appending its output to the log; returns stdout lines. */
function runGo(
  go: string,
  args: string[],
  mod: GoModule,
  log: NodeJS.WritableStream,
  onStderrLine: (line: string) => void = () => {},
): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    log.write(`$ go ${args.join(" ")}\n`);
    const child = spawn(go, args, { cwd: moduleDir(mod), env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const stdout: string[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => stdout.push(line));
    createInterface({ input: child.stderr }).on("line", (line) => {
      log.write(`${line}\n`);
      onStderrLine(line);
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`go exited with ${code}`))));
  });
}

async function tail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

async function buildModule(mod: GoModule, finalDir: string, logPath: string): Promise<void> {
  const go = await findGo();
  const version = moduleVersion(mod);
  const partial = `${finalDir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const log = createWriteStream(logPath, { flags: "w" });
  const pkgs = mod.packages.map((p) => p.pkg);
  const progress = createProgress(`building ${mod.name} ${version}`);
  try {
    progress.update(0, 0);
    const deps = await runGo(go, ["list", "-deps", ...pkgs], mod, log);
    let compiled = 0;
    await runGo(go, ["build", "-v", "-ldflags", versionLdflags(mod, version), "-o", `${partial}/`, ...pkgs], mod, log, () => {
      compiled += 1;
      progress.update(compiled, deps.length);
    });
    for (const { pkg, binary } of mod.packages) {
      const built = goBinaryName(pkg);
      if (built !== binary) await rename(join(partial, built), join(partial, binary));
    }
    if (mod.name === "kwok") {
      const [moduleRoot] = await runGo(go, ["list", "-m", "-f", "{{.Dir}}", mod.pinnedModule], mod, log);
      await writeFile(join(partial, "kwok-stages.yaml"), await kwokStagesYaml(moduleRoot ?? ""));
    }
    const sha256: Record<string, string> = {};
    for (const { binary } of mod.packages) sha256[binary] = await sha256File(join(partial, binary));
    await writeFile(join(partial, MANIFEST), JSON.stringify({ version, sha256 } satisfies Manifest, null, 2));
    await rm(finalDir, { recursive: true, force: true });
    await rename(partial, finalDir);
    progress.finish("done");
  } catch (cause) {
    progress.finish("FAILED");
    await rm(partial, { recursive: true, force: true });
    log.write(`${(cause as Error).message}\n`);
    throw new ControlPlaneError(`building ${mod.name} ${version} failed: ${(cause as Error).message}\n${await tail(logPath)}`, {
      cause,
      logPath,
      hint: "the build needs the Go module proxy; see the log for the failing package",
    });
  } finally {
    await new Promise((r) => log.end(r));
  }
}

/** Makes sure every control-plane binary is built and intact; builds what is missing. */
export async function ensureBinaries(): Promise<Record<"kubernetes" | "etcd" | "kwok", BuiltModule>> {
  return ensureModules(MODULES) as Promise<Record<"kubernetes" | "etcd" | "kwok", BuiltModule>>;
}

/** Builds each module that has no intact cached build; returns the builds by module name. */
export async function ensureModules(modules: readonly GoModule[]): Promise<Record<string, BuiltModule>> {
  const root = binaryCacheRoot();
  await mkdir(join(root, "logs"), { recursive: true });
  const result: Record<string, BuiltModule> = {};
  for (const mod of modules) {
    const key = cacheKey(mod);
    const dir = join(root, key);
    if (!(await isIntact(dir, mod))) await buildModule(mod, dir, join(root, "logs", `${key}.log`));
    const binaries = Object.fromEntries(mod.packages.map((p) => [p.binary, join(dir, p.binary)]));
    result[mod.name] = { module: mod.name, version: moduleVersion(mod), dir, binaries };
  }
  return result;
}
