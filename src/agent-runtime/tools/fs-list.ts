// fs.list: the entries of a directory, optionally recursive (breadth first, links not followed),
// bounded.
import { lstat, readdir } from "node:fs/promises";
import nodePath from "node:path";
import { z } from "zod";
import { confine } from "./confine.ts";
import { ioFailure } from "./io-errors.ts";
import { defineTool } from "./registry.ts";
import { failure, success } from "./result.ts";

const args = z.object({
  path: z.string().optional().describe("Directory, relative to the workspace or under /workspace (default: the workspace)."),
  recursive: z.boolean().optional().describe("Include subdirectories' entries (default false)."),
  maxEntries: z.number().int().min(1).optional().describe("Most entries to return (capped by the runtime's limit)."),
}).strict();

export interface ListEntry {
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
}

export const fsList = defineTool({
  name: "fs.list",
  description: "List a directory of the workspace: each entry's path (relative to the workspace), type and size. Symlinks are listed, not followed.",
  args,
  async execute({ path = ".", recursive = false, maxEntries }, ctx) {
    const target = await confine(ctx, path);
    if ("ok" in target) return target;
    const max = Math.min(maxEntries ?? ctx.limits.maxListEntries, ctx.limits.maxListEntries);
    const entries: ListEntry[] = [];
    const queue = [target.real];
    let truncated = false;
    try {
      const top = await lstat(target.real);
      if (!top.isDirectory()) return failure("NotADirectory", `${JSON.stringify(path)} is not a directory`);
      while (queue.length > 0 && !truncated) {
        if (ctx.signal.aborted) return failure("Aborted", "the listing was cancelled");
        const dir = queue.shift() as string;
        const names = (await readdir(dir)).sort();
        for (const name of names) {
          if (entries.length >= max) { truncated = true; break; }
          const full = nodePath.join(dir, name);
          const info = await lstat(full).catch(() => undefined);
          if (info === undefined) continue;
          const type = info.isSymbolicLink() ? "symlink" : info.isDirectory() ? "directory" : info.isFile() ? "file" : "other";
          entries.push({ path: nodePath.relative(target.root, full).split(nodePath.sep).join("/"), type, size: info.size });
          if (recursive && type === "directory") queue.push(full);
        }
      }
    } catch (error) {
      return ioFailure(error, target.relative);
    }
    return success({ path: target.relative, entries, truncated });
  },
});
