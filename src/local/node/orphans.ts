/**
 * Finds processes a previous run of the node left behind for a pod (the node was killed, so it
 * could not kill its process groups). Every container process carries `AEGIS_POD_ROOT=<root>`
 * in its environment, and so do its children unless they clear it; /proc tells us which are
 * still alive. Linux only; elsewhere nothing is found.
 */
import { readdir, readFile } from "node:fs/promises";

/** True when a NUL-separated environ block holds exactly `AEGIS_POD_ROOT=<root>`. */
export function environHasRoot(environ: string, root: string): boolean {
  return environ.split("\0").includes(`AEGIS_POD_ROOT=${root}`);
}

export async function findOrphans(root: string): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = await readFile(`/proc/${entry}/environ`, "latin1").catch(() => "");
    if (environHasRoot(environ, root)) found.push(Number(entry));
  }
  return found;
}

/** SIGKILLs what `findOrphans` finds; returns the pids. */
export async function killOrphans(root: string): Promise<number[]> {
  const pids = await findOrphans(root);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids;
}
