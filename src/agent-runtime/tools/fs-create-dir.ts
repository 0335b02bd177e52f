// fs.create_dir: a directory, with its parents.
import { mkdir, stat } from "node:fs/promises";
import { z } from "zod";
import { confine } from "./confine.ts";
import { ioFailure } from "./io-errors.ts";
import { defineTool } from "./registry.ts";
import { failure, success } from "./result.ts";

const args = z.object({
  path: z.string().describe("Directory path, relative to the workspace or under /workspace."),
}).strict();

export const fsCreateDir = defineTool({
  name: "fs.create_dir",
  description: "Create a directory of the workspace, and its missing parents. An existing directory is not an error.",
  args,
  async execute({ path }, ctx) {
    const target = await confine(ctx, path);
    if ("ok" in target) return target;
    try {
      const existing = await stat(target.real).catch(() => undefined);
      if (existing !== undefined && !existing.isDirectory()) return failure("AlreadyExists", `${JSON.stringify(path)} exists and is not a directory`);
      await mkdir(target.real, { recursive: true });
      return success({ path: target.relative, created: existing === undefined });
    } catch (error) {
      return ioFailure(error, target.relative);
    }
  },
});
