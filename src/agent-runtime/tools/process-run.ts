// Runs one process in its own process group, with captured, capped output and a timeout that
// kills the whole group: SIGTERM, then SIGKILL after a grace period. When the main process ends,
// whatever it left running in its group is killed too.
import { spawn } from "node:child_process";
import { TailCapture, type CappedText } from "./truncate.ts";

export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs: number;
  capBytes: number;
  signal: AbortSignal;
}

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: CappedText;
  stderr: CappedText;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export type ProcessResult = { started: true; outcome: ProcessOutcome } | { started: false; error: NodeJS.ErrnoException };

export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const stdout = new TailCapture(spec.capBytes);
    const stderr = new TailCapture(spec.capBytes);
    let child;
    try {
      child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ["ignore", "pipe", "pipe"], shell: false });
    } catch (error) {
      resolve({ started: false, error: error as NodeJS.ErrnoException });
      return;
    }
    const pid = child.pid;
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (signal: NodeJS.Signals): void => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const terminate = (): void => {
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), spec.killGraceMs));
    };
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    timers.push(setTimeout(() => {
      timedOut = true;
      terminate();
    }, spec.timeoutMs));
    spec.signal.addEventListener("abort", onAbort, { once: true });
    if (spec.signal.aborted) onAbort();

    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const finish = (): void => {
      for (const timer of timers) clearTimeout(timer);
      spec.signal.removeEventListener("abort", onAbort);
      resolve({
        started: true,
        outcome: {
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? null,
          stdout: stdout.result(),
          stderr: stderr.result(),
          timedOut,
          aborted,
          durationMs: Math.round(performance.now() - started),
        },
      });
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (exit !== undefined || pid !== undefined) return;
      for (const timer of timers) clearTimeout(timer);
      spec.signal.removeEventListener("abort", onAbort);
      resolve({ started: false, error });
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      for (const timer of timers) clearTimeout(timer);
      // Leftovers in the group die with the main process, as in a container.
      killGroup("SIGKILL");
      // A descendant that left the group may hold the pipes open: stop waiting for them.
      timers.push(setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, spec.killGraceMs));
    });
    child.on("close", () => {
      if (exit !== undefined) finish();
    });
  });
}
