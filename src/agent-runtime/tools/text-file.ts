// Reads a workspace text file for fs.read and fs.edit: confined, a regular file, within the size
// limit, UTF-8 without NUL bytes.
import { readFile, stat } from "node:fs/promises";
import { decodeText } from "./binary.ts";
import { confine, type ConfinedPath } from "./confine.ts";
import type { ToolContext } from "./context.ts";
import { ioFailure } from "./io-errors.ts";
import { failure, type ToolFailure } from "./result.ts";

export async function readTextFile(ctx: ToolContext, path: string): Promise<{ target: ConfinedPath; text: string } | ToolFailure> {
  const target = await confine(ctx, path);
  if ("ok" in target) return target;
  let bytes: Buffer;
  try {
    const info = await stat(target.real);
    if (!info.isFile()) return failure("NotAFile", `${JSON.stringify(path)} is not a regular file`);
    if (info.size > ctx.limits.maxFileBytes) {
      return failure("FileTooLarge", `${JSON.stringify(path)} is ${info.size} bytes; the limit is ${ctx.limits.maxFileBytes}`);
    }
    bytes = await readFile(target.real, { signal: ctx.signal });
  } catch (error) {
    return ioFailure(error, target.relative);
  }
  const text = decodeText(bytes);
  if (text === undefined) return failure("BinaryFile", `${JSON.stringify(path)} is binary (${bytes.length} bytes), not UTF-8 text`);
  return { target, text };
}
