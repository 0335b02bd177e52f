// Pure path decisions: how a path argument maps into the workspace, without touching the disk.
// Symlinks are the business of confine.ts, which builds on these.
import path from "node:path";
import { failure, type ToolFailure } from "./result.ts";

function isDotDotSegment(rel: string): boolean {
  return rel === ".." || rel.startsWith(`..${path.sep}`);
}

export interface LexicalPath {
  /** The absolute path inside `root`. */
  absolute: string;
  /** The same, relative to root ("" for the root itself), with `/` separators. */
  relative: string;
}

/**
 * Maps a path argument to an absolute path inside `root`:
 * - relative paths are taken from the root;
 * - absolute paths under one of `aliases` (the agent's name for the workspace, `/workspace`, or
 *   the root as configured before symlinks were resolved) are mapped into root;
 * - other absolute paths are accepted only when already under root.
 * `..` segments are resolved; a path that ends outside the root is refused. Names are literal:
 * `%2e%2e` is a file called `%2e%2e`. NUL bytes and empty strings are refused.
 */
export function resolveLexical(root: string, aliases: readonly string[], input: string): LexicalPath | ToolFailure {
  if (input.length === 0) return failure("InvalidPath", "path is empty");
  if (input.includes("\0")) return failure("InvalidPath", "path contains a NUL byte");
  let absolute: string;
  if (path.isAbsolute(input)) {
    const normal = path.resolve(input);
    // The most specific name wins: a root that itself lies under /workspace keeps its paths.
    const alias = [root, ...aliases.filter((a) => path.isAbsolute(a)).map((a) => path.resolve(a))]
      .filter((a) => isUnder(a, normal))
      .sort((a, b) => b.length - a.length)[0];
    absolute = alias === undefined ? normal : path.join(root, path.relative(alias, normal));
  } else {
    absolute = path.resolve(root, input);
  }
  if (!isUnder(root, absolute)) {
    return failure("PathOutsideWorkspace", `path ${JSON.stringify(input)} is outside the workspace`);
  }
  return { absolute, relative: toRelative(root, absolute) };
}

/** True when normalised `candidate` equals `base` or lies below it. */
export function isUnder(base: string, candidate: string): boolean {
  const rel = path.relative(base, candidate);
  return rel === "" || (!isDotDotSegment(rel) && !path.isAbsolute(rel));
}

export function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/");
}
