/**
 * The operator as a separate process (`node src/main.ts …`), as it runs in a cluster: its JSON
 * log lines are parsed as they arrive so tests can wait on them ("Became leader") and read the
 * addresses it serves on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll } from "vitest";
import { repoRoot } from "../../src/local/paths.ts";
import { eventually } from "./eventually.ts";

export interface LogLine {
  readonly msg?: string;
  readonly time?: string;
  readonly [field: string]: unknown;
}

export interface OperatorProcess {
  readonly identity: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** Everything written to stderr (and stdout lines that were not JSON). */
  readonly other: () => string;
  readonly exited: Promise<number | null>;
  /** Waits for a log line with this message and returns it. */
  waitFor(msg: string, timeoutMs?: number): Promise<LogLine>;
  /** The bound "host:port" of the health or metrics server. */
  address(kind: "health" | "metrics"): Promise<string>;
}

/** Starts operators that are killed (SIGKILL) after the file's tests if they still run; `env()` is added to the test's own at each start. */
export function operatorProcesses(env: () => Readonly<Record<string, string>> = () => ({})): (identity: string, args: readonly string[]) => OperatorProcess {
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return (identity, args) => {
    const child = spawn(process.execPath, [join(repoRoot(), "src", "main.ts"), "--identity", identity, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env(), KUBECONFIG: "" },
    });
    started.push(child);
    const lines: LogLine[] = [];
    let other = "";
    let partial = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const text of parts) {
        try {
          lines.push(JSON.parse(text) as LogLine);
        } catch {
          other += `${text}\n`;
        }
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (other += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const waitFor = (msg: string, timeoutMs = 30_000): Promise<LogLine> =>
      eventually(
        () => {
          const line = lines.find((l) => l.msg === msg);
          if (!line) throw new Error(`no "${msg}" yet; stderr: ${other.slice(-2000)}`);
          return line;
        },
        { timeoutMs, intervalMs: 20, message: `${identity} logs "${msg}"` },
      );
    return {
      identity,
      child,
      lines,
      other: () => other,
      exited,
      waitFor,
      address: async (kind) => String((await waitFor(kind === "health" ? "Serving health probes" : "Serving metrics")).address),
    };
  };
}
