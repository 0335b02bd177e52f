// The file-system side of gen and verify, kept apart from the pure rendering.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CRD_DIR, TYPES_DIR } from "./render.ts";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function readRepoFile(path: string, root = REPO_ROOT): string | undefined {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, "utf8") : undefined;
}

/** Files on disk that generation owns: crds/*.aegis.dev.yaml and src/api/generated/*.ts. */
export function generatedOnDisk(root = REPO_ROOT): string[] {
  const list = (dir: string, suffix: string): string[] =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith(suffix)).map((f) => `${dir}/${f}`) : [];
  return [...list(CRD_DIR, ".aegis.dev.yaml"), ...list(TYPES_DIR, ".ts")].sort();
}

/** Writes the rendered files and removes stale ones; returns the paths changed. */
export function writeAll(files: ReadonlyMap<string, string>, root = REPO_ROOT): string[] {
  const changed: string[] = [];
  for (const [path, content] of files) {
    if (readRepoFile(path, root) === content) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    changed.push(path);
  }
  for (const path of generatedOnDisk(root)) {
    if (!files.has(path)) {
      rmSync(join(root, path));
      changed.push(path);
    }
  }
  return changed;
}
