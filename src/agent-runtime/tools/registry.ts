// The tool registry: what the model is shown (name, description, JSON Schema) and the one entry
// point that runs a call. invoke() never throws: unknown tools, invalid arguments, timeouts and
// unexpected exceptions all come back as ToolFailure.
import { z } from "zod";
import { parseArgs } from "./args.ts";
import type { ToolContext } from "./context.ts";
import { failure, type ToolResult } from "./result.ts";

export interface Tool<A = unknown> {
  name: string;
  description: string;
  args: z.ZodType<A>;
  /** Receives parsed arguments. May throw; the registry turns it into an Internal error. */
  execute(args: A, ctx: ToolContext): Promise<ToolResult>;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the arguments. */
  parameters: Record<string, unknown>;
}

/** Lets a typed tool go into a heterogeneous list. */
export const defineTool = <A>(tool: Tool<A>): Tool => tool as unknown as Tool;

export interface ToolRegistry {
  names(): string[];
  /** The tools as the model sees them, optionally limited to `allowed` names. */
  specs(allowed?: readonly string[]): ToolSpec[];
  invoke(name: string, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult>;
}

export function createToolRegistry(tools: readonly Tool[]): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`duplicate tool ${tool.name}`);
    byName.set(tool.name, tool);
  }
  const specs = new Map<string, ToolSpec>(tools.map((t) => [t.name, toSpec(t)]));
  return {
    names: () => [...byName.keys()],
    specs: (allowed) => [...specs.values()].filter((s) => allowed === undefined || allowed.includes(s.name)),
    invoke: async (name, rawArgs, ctx) => {
      const tool = byName.get(name);
      if (tool === undefined) return failure("UnknownTool", `no tool named ${JSON.stringify(name)}; available: ${[...byName.keys()].join(", ")}`);
      const parsed = parseArgs(tool.args, rawArgs);
      if (!parsed.ok) return parsed;
      if (ctx.signal.aborted) return failure("Aborted", "the call was cancelled before it started");
      return runWithDeadline(tool, parsed.value, ctx);
    },
  };
}

function toSpec(tool: Tool): ToolSpec {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.args, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * The per-call timeout as a backstop for every tool: past timeoutMs plus the kill grace (cmd.run
 * enforces timeoutMs itself and reports CommandTimedOut), the tool's signal is aborted and the call
 * answers ToolTimedOut.
 */
async function runWithDeadline(tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  const deadline = new AbortController();
  const signal = AbortSignal.any([ctx.signal, deadline.signal]);
  const budget = ctx.limits.timeoutMs + ctx.limits.killGraceMs + 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ToolResult>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve(failure("ToolTimedOut", `${tool.name} did not finish within ${budget} ms`));
    }, budget);
  });
  const run = tool.execute(args, { ...ctx, signal }).catch((error: unknown) =>
    failure("Internal", `${tool.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`));
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
