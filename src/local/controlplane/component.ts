/**
 * One control-plane process: started in its own process group with output to a log file,
 * waited on until its health probe passes, and stopped with SIGTERM then SIGKILL so that no
 * process is left behind. A component that exits while starting is reported with the last
 * lines of its log.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ControlPlaneError } from "./errors.ts";

export interface ComponentSpec {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly logPath: string;
  /** Resolves true once the component is ready to serve. */
  readonly ready: () => Promise<boolean>;
  readonly startTimeoutMs?: number;
}

export interface RunningComponent {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves with the exit code (or signal) when the process has exited. */
  readonly exited: Promise<string>;
  stop(graceMs?: number): Promise<void>;
}

export async function lastLines(path: string, count = 20): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/** A hint from the log text of a component that failed to start. */
export function diagnose(logText: string): string | undefined {
  if (/address already in use|bind: address/i.test(logText)) {
    return "a port it needs is already in use; another cluster may still be running (npm run control-plane:stop)";
  }
  if (/permission denied/i.test(logText)) return "a file or folder it needs is not accessible; check AEGIS_HOME";
  return undefined;
}

/**
 * True while `pid` runs. A zombie (exited, not yet reaped: common for orphans in containers
 * whose init does not reap) counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

const processGone = (pid: number): boolean => !isAlive(pid);

/** Sends `signal` to the process group of `pid` (falls back to the process). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
export async function stopProcessGroup(pid: number, graceMs = 10_000): Promise<void> {
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (!processGone(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signalGroup(pid, "SIGKILL");
  while (!processGone(pid)) await new Promise((r) => setTimeout(r, 20));
}

function exitPromise(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    child.once("error", (err) => resolve(`spawn error: ${err.message}`));
  });
}

export async function startComponent(spec: ComponentSpec): Promise<RunningComponent> {
  const fd = openSync(spec.logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(spec.binary, [...spec.args], { detached: true, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  const exited = exitPromise(child);
  let exitStatus: string | undefined;
  void exited.then((status) => (exitStatus = status));
  const pid = child.pid ?? -1;
  const running: RunningComponent = {
    name: spec.name,
    pid,
    logPath: spec.logPath,
    exited,
    async stop(graceMs) {
      if (exitStatus === undefined && pid > 0) await stopProcessGroup(pid, graceMs);
      await exited;
    },
  };
  const deadline = Date.now() + (spec.startTimeoutMs ?? 120_000);
  for (;;) {
    if (exitStatus !== undefined) {
      const tail = await lastLines(spec.logPath);
      throw new ControlPlaneError(`${spec.name} exited (${exitStatus}) while starting; last lines of its log:\n${tail}`, {
        logPath: spec.logPath,
        hint: diagnose(tail),
      });
    }
    if (await spec.ready()) return running;
    if (Date.now() > deadline) {
      await running.stop(2000);
      const tail = await lastLines(spec.logPath);
      throw new ControlPlaneError(`${spec.name} did not become ready in time; last lines of its log:\n${tail}`, {
        logPath: spec.logPath,
        hint: diagnose(tail),
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
