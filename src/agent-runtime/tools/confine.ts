// Path confinement on disk: the lexical decision (path-policy.ts) plus symlinks. A path is
// resolved with the realpath of its deepest existing ancestor, dangling links followed by hand,
// and must land inside the workspace's own realpath.
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import type { ToolContext } from "./context.ts";
import { isUnder, resolveLexical, toRelative } from "./path-policy.ts";
import { failure, type ToolFailure } from "./result.ts";

const MAX_LINKS = 40;

export interface ConfinedPath {
  /** The real path to operate on. */
  real: string;
  /** It relative to the workspace's real root, `/`-separated ("" for the root). */
  relative: string;
  /** The workspace's real root. */
  root: string;
}

/**
 * `follow`: the path with every symlink followed (read, write, list…).
 * `entry`: the directory entry itself; only its parent is followed (delete: a link is removed,
 * not its target).
 */
export type ConfineMode = "follow" | "entry";

export async function confine(ctx: ToolContext, input: string, mode: ConfineMode = "follow"): Promise<ConfinedPath | ToolFailure> {
  let root: string;
  try {
    root = await realpath(ctx.workspaceRoot);
  } catch (error) {
    return failure("IoError", `workspace root is not accessible: ${(error as Error).message}`);
  }
  const lexical = resolveLexical(root, [ctx.mountPath, ctx.workspaceRoot], input);
  if ("ok" in lexical) return lexical;
  let real: string;
  try {
    real = mode === "entry" && lexical.relative !== ""
      ? path.join(await resolveReal(path.dirname(lexical.absolute), 0), path.basename(lexical.absolute))
      : await resolveReal(lexical.absolute, 0);
  } catch (error) {
    return failure("IoError", `cannot resolve ${JSON.stringify(input)}: ${(error as Error).message}`);
  }
  if (!isUnder(root, real)) {
    return failure("PathOutsideWorkspace", `path ${JSON.stringify(input)} resolves outside the workspace (through a symlink)`);
  }
  return { real, relative: toRelative(root, real), root };
}

/** The real path of `target`, which may not exist yet: its deepest existing ancestor's realpath plus the rest. */
async function resolveReal(target: string, links: number): Promise<string> {
  if (links > MAX_LINKS) throw new Error("too many levels of symbolic links");
  try {
    return await realpath(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
  }
  const stats = await lstat(target).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    // A dangling link: where a write through it would land.
    const parent = await resolveReal(path.dirname(target), links + 1);
    return resolveReal(path.resolve(parent, await readlink(target)), links + 1);
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  return path.join(await resolveReal(parent, links), path.basename(target));
}
