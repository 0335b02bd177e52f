// fs.delete: a file, a link or (recursive) a directory; never the workspace root. A symlink is
// removed itself, never followed.
import { lstat, rm, rmdir } from "node:fs/promises";
import { z } from "zod";
import { confine } from "./confine.ts";
import { ioFailure } from "./io-errors.ts";
import { defineTool } from "./registry.ts";
import { failure, success } from "./result.ts";

const args = z.object({
  path: z.string().describe("Path to delete, relative to the workspace or under /workspace."),
  recursive: z.boolean().optional().describe("Delete a non-empty directory with its contents (default false)."),
}).strict();

export const fsDelete = defineTool({
  name: "fs.delete",
  description: "Delete a file or directory of the workspace. A non-empty directory needs recursive: true. The workspace root cannot be deleted.",
  args,
  async execute({ path, recursive = false }, ctx) {
    const target = await confine(ctx, path, "entry");
    if ("ok" in target) return target;
    if (target.relative === "") return failure("IsWorkspaceRoot", "the workspace root cannot be deleted");
    try {
      const info = await lstat(target.real);
      if (info.isDirectory()) {
        if (recursive) await rm(target.real, { recursive: true });
        else await rmdir(target.real);
      } else {
        await rm(target.real);
      }
      return success({ path: target.relative, deleted: info.isDirectory() ? "directory" : "file" });
    } catch (error) {
      const failed = ioFailure(error, target.relative);
      if (failed.error.code === "DirectoryNotEmpty") failed.error.message += "; set recursive: true to delete it with its contents";
      return failed;
    }
  },
});
