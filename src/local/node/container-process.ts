/**
 * One container as a local process: spawned detached (its own process group, so the whole
 * group can be signalled and nothing is left behind), stdout and stderr captured line by line
 * into the container's log file in CRI format. When the main process ends, whatever it left
 * running in its group is killed, as a container's processes die with its PID 1.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { constants } from "node:os";
import { encodeEntry, LineSplitter, type Stream } from "./log-format.ts";

export interface SpawnSpec {
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  logPath: string;
}

export type ProcessEnd =
  | { kind: "exited"; exitCode: number; signal: number | undefined; finishedAt: Date }
  | { kind: "start-error"; message: string; finishedAt: Date };

export interface ContainerProcess {
  readonly pid: number | undefined;
  readonly startedAt: Date;
  /** Settles once the process has ended and its output is in the log file. */
  readonly ended: Promise<ProcessEnd>;
  /** Signals the whole process group; a no-op once it is gone. */
  signal(sig: NodeJS.Signals): void;
}

/** Sends a signal to a process group; false when no process of the group is left. */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

function startErrorMessage(argv0: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `exec: "${argv0}": executable file not found in $PATH`;
  if (err.code === "EACCES") return `exec: "${argv0}": permission denied`;
  return `exec: "${argv0}": ${err.message}`;
}

export function startContainerProcess(spec: SpawnSpec): ContainerProcess {
  const startedAt = new Date();
  const log = createWriteStream(spec.logPath, { flags: "a" });
  const write = (stream: Stream, content: string, partial: boolean): void => {
    log.write(encodeEntry({ time: new Date(), stream, partial, content }));
  };
  const closeLog = (): Promise<void> => new Promise((resolve) => log.end(resolve));
  const [argv0, ...rest] = spec.argv;
  if (argv0 === undefined || argv0 === "") {
    const ended = closeLog().then((): ProcessEnd => ({ kind: "start-error", message: "no command: the container sets none and the image map gives none", finishedAt: new Date() }));
    return { pid: undefined, startedAt, ended, signal: () => undefined };
  }
  const child = spawn(argv0, rest, { cwd: spec.cwd, env: { ...spec.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  let gone = false;
  const ended = new Promise<ProcessEnd>((resolve) => {
    const capture = (stream: Stream, source: NodeJS.ReadableStream | null): Promise<void> => {
      if (!source) return Promise.resolve();
      const splitter = new LineSplitter();
      source.setEncoding("utf8");
      source.on("data", (chunk: string) => {
        for (const line of splitter.push(chunk)) write(stream, line, false);
      });
      return new Promise((done) => {
        const finish = (): void => {
          const rest = splitter.flush();
          if (rest !== undefined) write(stream, rest, true);
          done();
        };
        source.on("end", finish);
        source.on("error", finish);
      });
    };
    const outputs = Promise.all([capture("stdout", child.stdout), capture("stderr", child.stderr)]);
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (pid !== undefined) return; // an error after a successful spawn: 'exit' follows
      gone = true;
      void closeLog().then(() => resolve({ kind: "start-error", message: startErrorMessage(argv0, err), finishedAt: new Date() }));
    });
    child.on("exit", (code, sig) => {
      const finishedAt = new Date();
      gone = true;
      if (pid !== undefined) signalGroup(pid, "SIGKILL");
      const signal = sig ? constants.signals[sig] : undefined;
      const exitCode = code ?? 128 + (signal ?? 0);
      // Descendants were just killed, so the pipes close; don't wait forever for a stray fd.
      const drained = Promise.race([outputs, new Promise((r) => setTimeout(r, 2000).unref())]);
      void drained.then(closeLog).then(() => resolve({ kind: "exited", exitCode, signal, finishedAt }));
    });
  });
  return {
    pid,
    startedAt,
    ended,
    signal: (sig) => {
      if (pid !== undefined && !gone) signalGroup(pid, sig);
    },
  };
}
