/**
 * A server left running by an operator that was killed (SIGKILL leaves the embedded postgres
 * child orphaned, still holding the data folder's postmaster.pid): it is asked to shut down
 * (SIGINT, PostgreSQL's "fast" shutdown) before a fresh one starts, so a restarted operator gets
 * its own server, its log and a port it knows.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";

/** Pure: the postmaster's pid and port from postmaster.pid (line 1: pid, line 4: port). */
export function parsePostmasterPid(text: string): { pid: number; port: number } | null {
  const lines = text.split("\n");
  const pid = Number(lines[0]?.trim());
  const port = Number(lines[3]?.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, port: Number.isInteger(port) ? port : 0 } : null;
}

/** Stops a live postgres holding `dataDir`; true if there was one. Throws if it will not stop. */
export async function stopLeftoverServer(dataDir: string, log?: Logger, timeoutMs = 30_000): Promise<boolean> {
  const text = await readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const found = parsePostmasterPid(text);
  if (!found || !(await isPostgres(found.pid))) return false;
  log?.warn({ pid: found.pid, port: found.port, dataDir }, "Stopping an embedded PostgreSQL left running by an earlier operator");
  process.kill(found.pid, "SIGINT");
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    if (!(await isPostgres(found.pid))) return true;
  }
  throw new Error(`An embedded PostgreSQL (pid ${found.pid}) left running on ${dataDir} did not stop within ${timeoutMs / 1000}s`);
}

/** Whether `pid` is a live postgres process (its command line names postgres; a reused pid is not). */
async function isPostgres(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
  if (cmdline === null) return true; // no /proc: trust the signal check
  // A zombie (exited, not yet reaped by its parent) has an empty command line.
  return cmdline.includes("postgres");
}
