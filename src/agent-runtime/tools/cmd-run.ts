// cmd.run: runs a command (argv, no shell) in the workspace with a minimal environment.
import { stat } from "node:fs/promises";
import { z } from "zod";
import { confine } from "./confine.ts";
import { buildCommandEnv, ENV_NAME } from "./env.ts";
import { runProcess } from "./process-run.ts";
import { defineTool } from "./registry.ts";
import { failure, success } from "./result.ts";

const noNul = (s: string): boolean => !s.includes("\0");
const argvString = z.string().refine(noNul, "contains a NUL byte");

const args = z.object({
  command: argvString.pipe(z.string().min(1)).describe("The executable, looked up in PATH. No shell: to use one, run command \"sh\" with args [\"-c\", \"…\"]."),
  args: z.array(argvString).max(1024).optional().describe("Its arguments, passed as they are (no globbing, no expansion)."),
  cwd: z.string().optional().describe("Working directory inside the workspace (default: the workspace)."),
  env: z.record(z.string().regex(ENV_NAME, "not a variable name"), argvString).optional().describe("Extra environment variables."),
  timeoutSeconds: z.number().positive().optional().describe("Timeout in seconds (default and ceiling: the runtime's per-call timeout)."),
}).strict();

export const cmdRun = defineTool({
  name: "cmd.run",
  description: "Run a command in the workspace (argv form, no shell unless you run sh -c). Returns exitCode, signal, stdout and stderr (each capped; the tail is kept and truncation is flagged).",
  args,
  async execute({ command, args: argv = [], cwd = ".", env, timeoutSeconds }, ctx) {
    const dir = await confine(ctx, cwd);
    if ("ok" in dir) return dir;
    const info = await stat(dir.real).catch(() => undefined);
    if (info === undefined) return failure("NotFound", `cwd ${JSON.stringify(cwd)} does not exist`);
    if (!info.isDirectory()) return failure("NotADirectory", `cwd ${JSON.stringify(cwd)} is not a directory`);
    const timeoutMs = Math.min(ctx.limits.timeoutMs, timeoutSeconds === undefined ? Infinity : Math.ceil(timeoutSeconds * 1000));
    const result = await runProcess({
      command,
      args: argv,
      cwd: dir.real,
      env: buildCommandEnv({ runtimeEnv: ctx.runtimeEnv, allowlist: ctx.envAllowlist, home: dir.root, cwd: dir.real, additions: env }),
      timeoutMs,
      killGraceMs: ctx.limits.killGraceMs,
      capBytes: ctx.limits.outputCapBytes,
      signal: ctx.signal,
    });
    if (!result.started) {
      const code = result.error.code === "ENOENT" ? "CommandNotFound" : "CommandStartFailed";
      return failure(code, `cannot run ${JSON.stringify(command)}: ${result.error.message}`);
    }
    const o = result.outcome;
    const report = {
      exitCode: o.exitCode,
      signal: o.signal,
      stdout: o.stdout.text,
      stderr: o.stderr.text,
      stdoutTruncated: o.stdout.truncated,
      stderrTruncated: o.stderr.truncated,
      stdoutBytes: o.stdout.totalBytes,
      stderrBytes: o.stderr.totalBytes,
      durationMs: o.durationMs,
    };
    if (o.timedOut) return failure("CommandTimedOut", `${command} was killed after ${timeoutMs} ms (process group sent SIGTERM, then SIGKILL)`, report);
    if (o.aborted) return failure("Aborted", `${command} was cancelled`, report);
    return success(report);
  },
});
