// openHistory with a DATABASE_URL: the machine's PostgreSQL (127.0.0.1:5432), its own database.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory } from "./open.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("openHistory with a database URL", () => {
  it("pools connections to it, migrates it, and close() ends the pool (no embedded server)", async () => {
    const history = await openHistory({ databaseUrl: db.url, home: "/nonexistent/aegis-home", log: pino({ level: "silent" }) });
    const { rows } = await history.pool.query("SELECT current_database() AS name, count(*)::int AS migrations FROM schema_migrations");
    expect(rows[0]).toMatchObject({ name: db.name });
    expect(rows[0].migrations).toBeGreaterThan(0);
    expect(await history.store.totalsOf("none")).toEqual({ tokensIn: 0, tokensOut: 0, costUsd: 0, turns: 0, toolCalls: 0 });
    await history.close();
    expect(history.pool.ended).toBe(true);
    expect(history.transcriptPool.ended).toBe(true);
  });

  it("writes transcript turns with asynchronous commit, everything else synchronously; a turn is readable at once", async () => {
    const history = await openHistory({ databaseUrl: db.url, home: "/nonexistent/aegis-home", log: pino({ level: "silent" }) });
    try {
      const setting = async (p: typeof history.pool) => (await p.query<{ synchronous_commit: string }>("SHOW synchronous_commit")).rows[0]?.synchronous_commit;
      expect([await setting(history.pool), await setting(history.transcriptPool)]).toEqual(["on", "off"]);
      const uid = "00000000-0000-4000-8000-00000000a5c1";
      expect(await history.store.appendTurn({ executionUid: uid, iteration: 1, seq: 0, role: "user", content: "hi" })).toBe(true);
      expect((await history.store.transcriptOf(uid, 1)).map((t) => t.content)).toEqual(["hi"]);
    } finally {
      await history.close();
    }
  });

  it("fails, naming the problem, when the server is unreachable", async () => {
    await expect(openHistory({ databaseUrl: "postgres://postgres@127.0.0.1:1/none", home: "/nonexistent", log: pino({ level: "silent" }) })).rejects.toThrow(/ECONNREFUSED/);
  });
});
