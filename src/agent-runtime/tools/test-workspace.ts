// Test helper: a temporary workspace with an "outside" sibling directory, and a context for it.
import { mkdtemp, mkdir, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createToolContext, type ToolContext, type ToolLimits } from "./context.ts";

export interface TestWorkspace {
  base: string;
  root: string;
  outside: string;
  ctx: ToolContext;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(limits: Partial<ToolLimits> = {}): Promise<TestWorkspace> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), "aegis-tools-")));
  const root = path.join(base, "ws");
  const outside = path.join(base, "outside");
  await mkdir(root);
  await mkdir(outside);
  return {
    base,
    root,
    outside,
    ctx: createToolContext({ workspaceRoot: root, limits }),
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
