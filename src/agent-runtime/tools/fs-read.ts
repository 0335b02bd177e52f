// fs.read: a text file, by lines, capped.
import { z } from "zod";
import { selectLines } from "./line-window.ts";
import { defineTool } from "./registry.ts";
import { success } from "./result.ts";
import { readTextFile } from "./text-file.ts";

const args = z.object({
  path: z.string().describe("File path, relative to the workspace or under /workspace."),
  offset: z.number().int().min(1).optional().describe("First line to return, 1-based (default 1)."),
  limit: z.number().int().min(1).optional().describe("Most lines to return (default: all, within the output cap)."),
}).strict();

export const fsRead = defineTool({
  name: "fs.read",
  description: "Read a UTF-8 text file of the workspace. Returns its lines from offset (1-based), at most limit lines and the output cap; nextOffset is set when there is more.",
  args,
  async execute({ path, offset = 1, limit }, ctx) {
    const file = await readTextFile(ctx, path);
    if ("ok" in file) return file;
    return success({ path: file.target.relative, offset, ...selectLines(file.text, offset, limit, ctx.limits.outputCapBytes) });
  },
});
