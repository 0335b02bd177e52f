// The Cedar request for one tool call: what the call touches (path, command, domain) is pulled out
// of its arguments and normalised first, so policies match what the tool will really do:
// /workspace/../etc/passwd is checked as /etc/passwd, src/a.py as /workspace/src/a.py.
import { posix } from "node:path";
import type { AuthorizationRequest, Context } from "./authorize.ts";
import { commandEntity, executionEntities, executionUid, ref, toolEntities, uid } from "./entities.ts";

export const DEFAULT_MOUNT_PATH = "/workspace";

export interface ToolCall {
  readonly namespace: string;
  readonly execution: string;
  readonly agent: string;
  readonly depth?: number;
  readonly iteration: number;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The arguments exactly as signed (canonical JSON), when the caller has them. */
  readonly argumentsText?: string;
  /** Where the workspace is mounted in the agent; relative paths are taken from it. */
  readonly mountPath?: string;
}

export type ToolRequestResult =
  | { readonly ok: true; readonly request: AuthorizationRequest }
  | { readonly ok: false; readonly error: string };

/**
 * An absolute, `.`/`..`-free path, or undefined for one no tool would accept (empty, NUL byte).
 * Purely lexical, like the tools' own first step; symlinks are the tools' concern.
 */
export function normalisePath(path: string, mountPath = DEFAULT_MOUNT_PATH): string | undefined {
  if (path === "" || path.includes("\0")) return undefined;
  return posix.resolve(mountPath, path);
}

/** The host of a URL, lower-cased, or undefined if it is not an absolute http(s) URL. */
export function domainOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function toolCallRequest(call: ToolCall): ToolRequestResult {
  const args = call.arguments;
  const mountPath = call.mountPath ?? DEFAULT_MOUNT_PATH;
  const context: Context = {
    tool: call.tool,
    arguments: call.argumentsText ?? JSON.stringify(args),
    iteration: call.iteration,
  };
  const entities = [...executionEntities(call.namespace, call.execution, call.agent, call.depth ?? 0), ...toolEntities(call.tool)];

  // fs.* take `path` (fs.list defaults to the workspace); cmd.run takes `cwd` (default too).
  const rawPath = args["path"] ?? args["cwd"];
  if (rawPath !== undefined || call.tool.startsWith("fs.") || call.tool === "cmd.run") {
    if (rawPath !== undefined && typeof rawPath !== "string") return { ok: false, error: "path must be a string" };
    const path = normalisePath(rawPath ?? mountPath, mountPath);
    if (path === undefined) return { ok: false, error: "path is empty or contains a NUL byte" };
    context["path"] = path;
  }

  const command = args["command"];
  if (command !== undefined) {
    if (typeof command !== "string" || command === "") return { ok: false, error: "command must be a non-empty string" };
    context["command"] = ref(uid("Command", command));
    entities.push(commandEntity(command));
    const list = args["args"] ?? [];
    if (!Array.isArray(list) || !list.every((a) => typeof a === "string")) return { ok: false, error: "args must be a list of strings" };
    context["args"] = list;
  }

  const url = args["url"];
  if (url !== undefined) {
    const domain = typeof url === "string" ? domainOf(url) : undefined;
    if (domain === undefined) return { ok: false, error: "url must be an absolute http(s) URL" };
    context["url"] = url as string;
    context["domain"] = domain;
  } else if (typeof args["domain"] === "string") {
    context["domain"] = args["domain"].toLowerCase();
  }

  return {
    ok: true,
    request: {
      principal: executionUid(call.namespace, call.execution),
      action: "tool:invoke",
      resource: uid("Tool", call.tool),
      context,
      entities,
    },
  };
}
