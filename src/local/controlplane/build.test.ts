import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureModules, goBinaryName } from "./build.ts";
import { ControlPlaneError } from "./errors.ts";
import type { GoModule } from "./modules.ts";

describe("goBinaryName", () => {
  it.each([
    ["k8s.io/kubernetes/cmd/kube-apiserver", "kube-apiserver"],
    ["go.etcd.io/etcd/server/v3", "server"],
    ["sigs.k8s.io/kwok/cmd/kwok", "kwok"],
  ])("%s builds %s", (pkg, name) => {
    expect(goBinaryName(pkg)).toBe(name);
  });
});

// Builds a tiny Go module (standard library only) into a temporary cache.
describe("ensureModules", () => {
  let dir: string;
  let cache: string;
  const previousCache = process.env.AEGIS_CACHE_DIR;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aegis-gomod-"));
    cache = await mkdtemp(join(tmpdir(), "aegis-cache-"));
    process.env.AEGIS_CACHE_DIR = cache;
    await writeFile(join(dir, "go.mod"), "module example.test/hello\n\ngo 1.26\n\nrequire example.test/hello v0.0.0\n");
    await writeFile(join(dir, "go.sum"), "");
  });
  afterAll(async () => {
    if (previousCache === undefined) delete process.env.AEGIS_CACHE_DIR;
    else process.env.AEGIS_CACHE_DIR = previousCache;
    await rm(dir, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });
  // The pinned "version" is read from go.mod's require line, as for the real modules.
  const mod = (): GoModule => ({ name: "hello", pinnedModule: "example.test/hello", packages: [{ pkg: "example.test/hello", binary: "hello" }], dir });

  it("reports a build failure with the compiler's message and the log's path", { timeout: 120_000 }, async () => {
    await writeFile(join(dir, "main.go"), "package main\n\nfunc main() { undefinedThing() }\n");
    const error = await ensureModules([mod()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    const failure = error as ControlPlaneError;
    expect(failure.message).toContain("building hello v0.0.0 failed");
    expect(failure.message).toContain("undefined: undefinedThing");
    expect(failure.logPath).toBeDefined();
    expect(await readFile(failure.logPath!, "utf8")).toContain("undefined: undefinedThing");
  });

  it("builds, reuses an intact build, and rebuilds a corrupt binary", { timeout: 120_000 }, async () => {
    await writeFile(join(dir, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n');
    const first = (await ensureModules([mod()])).hello!;
    const binary = first.binaries.hello!;
    expect(existsSync(binary)).toBe(true);
    const original = await readFile(binary);

    await writeFile(binary, "corrupted");
    const again = (await ensureModules([mod()])).hello!;
    expect(again.dir).toBe(first.dir);
    expect((await readFile(again.binaries.hello!)).equals(original)).toBe(true);
  });
});
