/** Finding processes by their command line, to prove that nothing is left running. */
import { readdir, readFile } from "node:fs/promises";
import { isAlive } from "../../src/local/controlplane/component.ts";

/** Pids of live processes whose command line contains `needle`. */
export async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.replaceAll("\0", " ").includes(needle) && isAlive(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}
