import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MODULES, cacheKey, moduleVersion, requiredVersion } from "./modules.ts";

describe("requiredVersion", () => {
  const goMod = [
    "module x",
    "go 1.26",
    "require k8s.io/kubernetes v1.36.3",
    "require (",
    "\tsigs.k8s.io/kwok v0.8.0",
    "\tgo.etcd.io/etcd/server/v3 v3.6.16 // indirect",
    ")",
    "replace k8s.io/api => k8s.io/api v0.36.3",
  ].join("\n");

  it.each([
    ["k8s.io/kubernetes", "v1.36.3"],
    ["sigs.k8s.io/kwok", "v0.8.0"],
    ["go.etcd.io/etcd/server/v3", "v3.6.16"],
  ])("finds %s at %s", (path, version) => {
    expect(requiredVersion(goMod, path)).toBe(version);
  });

  it("does not mistake a replace target or a longer module path for a requirement", () => {
    expect(requiredVersion(goMod, "k8s.io/api")).toBeUndefined();
    expect(requiredVersion(goMod, "k8s.io/kube")).toBeUndefined();
  });
});

describe("the committed modules", () => {
  it("pin a supported Kubernetes (1.35+), etcd 3.6 and kwok", () => {
    const versions = Object.fromEntries(MODULES.map((m) => [m.name, moduleVersion(m)]));
    expect(versions.kubernetes).toMatch(/^v1\.(3[5-9]|[4-9]\d)\./);
    expect(versions.etcd).toMatch(/^v3\.6\./);
    expect(versions.kwok).toMatch(/^v0\./);
  });

  it("key each cache folder by module, version and a hash of go.mod and go.sum", () => {
    for (const mod of MODULES) {
      expect(cacheKey(mod)).toMatch(new RegExp(`^${mod.name}-${moduleVersion(mod).replace(/\./g, "\\.")}-[0-9a-f]{12}$`));
    }
  });
});

describe("cacheKey", () => {
  it("hashes a module's own sources too when it names them", () => {
    const dir = mkdtempSync(join(tmpdir(), "aegis-gomod-"));
    try {
      writeFileSync(join(dir, "go.mod"), "module example.test/x\n\nrequire example.test/dep v1.2.3\n");
      writeFileSync(join(dir, "go.sum"), "");
      writeFileSync(join(dir, "main.go"), "package main\n");
      const mod = { name: "x", pinnedModule: "example.test/dep", packages: [], dir, sources: ["main.go"] };
      const before = cacheKey(mod);
      expect(before).toMatch(/^x-v1\.2\.3-[0-9a-f]{12}$/);
      writeFileSync(join(dir, "main.go"), "package main\n\nfunc main() {}\n");
      expect(cacheKey(mod)).not.toBe(before);
      expect(cacheKey({ ...mod, sources: undefined })).toBe(cacheKey({ ...mod, sources: [] }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
