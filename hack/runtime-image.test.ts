// The agent-runtime image holds what the runtime imports: every source file main.ts reaches is
// copied into the final stage, and the build stage's own prune script (run here on the real
// package.json) keeps every package those files load, tracing's lazily loaded SDK included.
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/local/paths.ts";

const ROOT = repoRoot();
const DOCKERFILE = join(ROOT, "src", "agent-runtime", "Dockerfile");
/** Value imports and re-exports (`import type` is erased), and dynamic imports. */
const IMPORT = /(?:^|\n)\s*(import|export)(\s+type)?\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** The files reachable from `entry` (relative to the root) and the packages they load. */
async function importGraph(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of (await readFile(join(ROOT, file), "utf8")).matchAll(IMPORT)) {
      if (m[2] !== undefined) continue;
      const spec = m[3] ?? m[4] ?? "";
      if (spec.startsWith(".")) todo.push(normalize(join(dirname(file), spec)));
      else if (!spec.startsWith("node:")) packages.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
    }
  }
  return { files, packages };
}

/** The final stage's COPY sources from the build context. */
function copiedSources(dockerfile: string): string[] {
  const final = dockerfile.split(/^FROM /m).at(-1) ?? "";
  return [...final.matchAll(/^COPY (?!--from)(\S+) /gm)].map((m) => m[1]!.replace(/\/$/, ""));
}

/** Runs the build stage's `node -e '…'` prune script on a copy of package.json; the dependencies it keeps. */
async function keptDependencies(dockerfile: string): Promise<string[]> {
  const script = /node -e '([^']*)'/.exec(dockerfile.replace(/\\\n/g, ""))?.[1];
  expect(script, "the prune script").toBeDefined();
  const dir = await mkdtemp(join(tmpdir(), "runtime-image-"));
  try {
    await copyFile(join(ROOT, "package.json"), join(dir, "package.json"));
    const run = spawnSync(process.execPath, ["-e", script!], { cwd: dir, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return Object.keys((JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the agent-runtime image", () => {
  it("copies every source file the runtime imports and keeps every package it loads", async () => {
    const dockerfile = await readFile(DOCKERFILE, "utf8");
    const { files, packages } = await importGraph("src/agent-runtime/main.ts");
    expect(packages).toContain("@opentelemetry/sdk-trace");
    const sources = copiedSources(dockerfile);
    const missing = [...files].filter((f) => !sources.some((s) => f === s || !relative(s, f).startsWith("..")));
    expect(missing).toEqual([]);
    const kept = await keptDependencies(dockerfile);
    expect([...packages].filter((p) => !kept.includes(p))).toEqual([]);
    // …and nothing of the operator's.
    expect(kept).not.toContain("@kubernetes/client-node");
    expect(kept).not.toContain("pg");
  });
});

describe("the operator image", () => {
  it("holds every source file the operator imports, no test file among them, and every package it loads is a production dependency", async () => {
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    const { files, packages } = await importGraph("src/main.ts");
    // The sources stage copies these folders, then deletes tests, test-*.ts fixtures and docs.
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+)\/ /gm)].map((m) => m[1]!);
    expect(copied).toEqual(expect.arrayContaining(["src", "controllers", "webhooks"]));
    expect([...files].filter((f) => !copied.some((dir) => f.startsWith(`${dir}/`)))).toEqual([]);
    expect([...files].filter((f) => /(^|\/)test-[^/]*\.ts$|\.test\.ts$/.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>; optionalDependencies?: Record<string, string>;
    };
    // Optional dependencies (embedded PostgreSQL) are omitted from the image and may only be loaded lazily.
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    const production = Object.keys(manifest.dependencies).filter((p) => !optional.includes(p));
    expect([...packages].filter((p) => !production.includes(p) && !optional.includes(p))).toEqual([]);
  });
});
