// fs.edit: exact search and replace in a text file.
import { z } from "zod";
import { applyEdit } from "./edit-text.ts";
import { fsWrite } from "./fs-write.ts";
import { defineTool } from "./registry.ts";
import { success } from "./result.ts";
import { readTextFile } from "./text-file.ts";

const args = z.object({
  path: z.string().describe("File path, relative to the workspace or under /workspace."),
  oldText: z.string().min(1).describe("The exact text to replace, whitespace included. It must occur exactly once unless replaceAll."),
  newText: z.string().describe("The replacement text."),
  replaceAll: z.boolean().optional().describe("Replace every occurrence (default false)."),
}).strict();

export const fsEdit = defineTool({
  name: "fs.edit",
  description: "Replace exact text in a text file of the workspace. Fails when oldText is missing, or occurs more than once without replaceAll.",
  args,
  async execute({ path, oldText, newText, replaceAll = false }, ctx) {
    const file = await readTextFile(ctx, path);
    if ("ok" in file) return file;
    const { target, text } = file;
    const edited = applyEdit(text, { oldText, newText, replaceAll });
    if (!edited.ok) return edited;
    const written = await fsWrite.execute({ path: target.real, content: edited.text, createParents: false }, ctx);
    if (!written.ok) return written;
    return success({ path: target.relative, replacements: edited.replacements });
  },
});
