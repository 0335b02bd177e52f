// The builtin tools of the agent runtime, in one registry.
import { cmdRun } from "./cmd-run.ts";
import { fsCreateDir } from "./fs-create-dir.ts";
import { fsDelete } from "./fs-delete.ts";
import { fsEdit } from "./fs-edit.ts";
import { fsList } from "./fs-list.ts";
import { fsRead } from "./fs-read.ts";
import { fsWrite } from "./fs-write.ts";
import { createToolRegistry, type Tool, type ToolRegistry } from "./registry.ts";

export const FS_TOOLS: readonly Tool[] = [fsRead, fsWrite, fsList, fsEdit, fsCreateDir, fsDelete];

export const BUILTIN_TOOLS: readonly Tool[] = [...FS_TOOLS, cmdRun];

export const createBuiltinRegistry = (): ToolRegistry => createToolRegistry(BUILTIN_TOOLS);
