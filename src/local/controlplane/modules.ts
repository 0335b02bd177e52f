/**
 * The Go modules under hack/control-plane/ and the commands each one builds. The version of a
 * component is read from its go.mod, so go.mod stays the one place a version is pinned.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.ts";

export interface GoModule {
  /** Folder name under hack/control-plane/, also the cache folder prefix. */
  readonly name: string;
  /** The module whose version names the build, e.g. k8s.io/kubernetes. */
  readonly pinnedModule: string;
  /** Go packages to build; each becomes a binary named after its last path element. */
  readonly packages: readonly { readonly pkg: string; readonly binary: string }[];
  /** The module's folder; hack/control-plane/<name> when unset (tests point elsewhere). */
  readonly dir?: string;
  /** Source files of the module itself (relative to its folder) that the cache key also hashes. */
  readonly sources?: readonly string[];
}

export const MODULES: readonly GoModule[] = [
  {
    name: "kubernetes",
    pinnedModule: "k8s.io/kubernetes",
    packages: [
      { pkg: "k8s.io/kubernetes/cmd/kube-apiserver", binary: "kube-apiserver" },
      { pkg: "k8s.io/kubernetes/cmd/kube-controller-manager", binary: "kube-controller-manager" },
      { pkg: "k8s.io/kubernetes/cmd/kube-scheduler", binary: "kube-scheduler" },
      { pkg: "k8s.io/kubernetes/cmd/kubectl", binary: "kubectl" },
    ],
  },
  {
    name: "etcd",
    pinnedModule: "go.etcd.io/etcd/server/v3",
    packages: [{ pkg: "go.etcd.io/etcd/server/v3", binary: "etcd" }],
  },
  {
    name: "kwok",
    pinnedModule: "sigs.k8s.io/kwok",
    packages: [{ pkg: "sigs.k8s.io/kwok/cmd/kwok", binary: "kwok" }],
  },
];

export function moduleDir(mod: GoModule): string {
  return mod.dir ?? join(repoRoot(), "hack", "control-plane", mod.name);
}

/** The version `require`d for `modulePath` in a go.mod text, or undefined. */
export function requiredVersion(goMod: string, modulePath: string): string | undefined {
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v[0-9][^\\s]*)`, "m").exec(goMod);
  return match?.[1];
}

export function moduleVersion(mod: GoModule): string {
  const goMod = readFileSync(join(moduleDir(mod), "go.mod"), "utf8");
  const version = requiredVersion(goMod, mod.pinnedModule);
  if (!version) throw new Error(`${mod.name}/go.mod does not require ${mod.pinnedModule}`);
  return version;
}

/**
 * The cache key of a module's build: its version plus a hash of go.mod, go.sum and its own
 * sources, so that any change to the pinned dependencies or the code builds into a new folder
 * instead of reusing stale binaries.
 */
export function cacheKey(mod: GoModule): string {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", ...(mod.sources ?? [])]) hash.update(readFileSync(join(moduleDir(mod), file)));
  return `${mod.name}-${moduleVersion(mod)}-${hash.digest("hex").slice(0, 12)}`;
}
