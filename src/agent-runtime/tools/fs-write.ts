// fs.write: replaces a file atomically (temp file in the same directory, then rename).
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import nodePath from "node:path";
import { z } from "zod";
import { confine } from "./confine.ts";
import { ioFailure } from "./io-errors.ts";
import { defineTool } from "./registry.ts";
import { failure, success } from "./result.ts";

const args = z.object({
  path: z.string().describe("File path, relative to the workspace or under /workspace."),
  content: z.string().describe("The whole new content (UTF-8)."),
  createParents: z.boolean().optional().describe("Create missing parent directories (default true)."),
}).strict();

export const fsWrite = defineTool({
  name: "fs.write",
  description: "Create or replace a file of the workspace with the given content, atomically.",
  args,
  async execute({ path, content, createParents = true }, ctx) {
    const target = await confine(ctx, path);
    if ("ok" in target) return target;
    if (target.relative === "") return failure("NotAFile", "the workspace root is a directory");
    const size = Buffer.byteLength(content, "utf8");
    if (size > ctx.limits.maxFileBytes) return failure("FileTooLarge", `content is ${size} bytes; the limit is ${ctx.limits.maxFileBytes}`);
    const dir = nodePath.dirname(target.real);
    const temp = nodePath.join(dir, `.${nodePath.basename(target.real)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const existing = await stat(target.real).catch(() => undefined);
      if (existing?.isDirectory()) return failure("NotAFile", `${JSON.stringify(path)} is a directory`);
      if (createParents) {
        const made = await mkdir(dir, { recursive: true }).then(() => true, (error: NodeJS.ErrnoException) => {
          if (error.code === "EEXIST") return false;
          throw error;
        });
        if (!made) return failure("NotADirectory", `a parent of ${JSON.stringify(path)} is a file`);
      }
      await writeFile(temp, content, { flag: "wx", signal: ctx.signal });
      if (existing !== undefined) await chmod(temp, existing.mode & 0o7777);
      await rename(temp, target.real);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      return ioFailure(error, (error as NodeJS.ErrnoException).code === "ENOENT" ? nodePath.posix.dirname(target.relative) : target.relative);
    }
    return success({ path: target.relative, bytes: size });
  },
});
