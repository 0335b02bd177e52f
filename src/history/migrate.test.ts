// Against the machine's PostgreSQL (127.0.0.1:5432): each test gets its own database.
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "./migrate.ts";
import { readMigrationFiles } from "./migration-files.ts";
import { parseMigrationFiles } from "./migration-plan.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});
async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

describe("migrate", () => {
  it("applies the shipped migrations once and is re-runnable", async () => {
    const pool = (await database()).pool();
    const shipped = (await readMigrationFiles()).map((f) => f.name);
    expect(shipped[0]).toBe("0001_init.sql");
    expect(await migrate(pool)).toEqual(shipped);
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query("SELECT name FROM schema_migrations ORDER BY version");
    expect(rows.map((r: { name: string }) => r.name)).toEqual(shipped);
    const tables = await pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.rows.map((r: { tablename: string }) => r.tablename)).toEqual(["domain_events", "schema_migrations", "tool_calls", "transcripts"]);
  });

  it("applies each migration exactly once when several migrators start together", async () => {
    const db = await database();
    // A migration that would fail if run twice (no IF NOT EXISTS), and a counter of its runs.
    const files = parseMigrationFiles([
      { name: "0001_a.sql", sql: "CREATE TABLE runs (n int); INSERT INTO runs VALUES (1); SELECT pg_sleep(0.2);" },
      { name: "0002_b.sql", sql: "CREATE TABLE b (n int); INSERT INTO runs VALUES (2);" },
    ]);
    const pools = [db.pool(2), db.pool(2), db.pool(2), db.pool(2)];
    const results = await Promise.all(pools.map((pool) => migrate(pool, { files })));
    expect(results.flat().sort()).toEqual(["0001_a.sql", "0002_b.sql"]);
    const { rows } = await pools[0]!.query("SELECT n FROM runs ORDER BY n");
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("rejects an applied migration whose file changed, naming the file", async () => {
    const pool = (await database()).pool();
    await migrate(pool, { files: parseMigrationFiles([{ name: "0001_a.sql", sql: "CREATE TABLE a (n int);" }]) });
    const edited = parseMigrationFiles([{ name: "0001_a.sql", sql: "CREATE TABLE a (n bigint);" }]);
    await expect(migrate(pool, { files: edited })).rejects.toThrow(/Migration 0001_a.sql was changed after it was applied/);
  });

  it("rolls back a failing migration with its row, naming the file", async () => {
    const pool = (await database()).pool();
    const files = parseMigrationFiles([
      { name: "0001_a.sql", sql: "CREATE TABLE a (n int);" },
      { name: "0002_bad.sql", sql: "CREATE TABLE b (n int); SELECT * FROM nowhere;" },
    ]);
    await expect(migrate(pool, { files })).rejects.toThrow(/Migration 0002_bad.sql failed: .*nowhere/);
    const { rows } = await pool.query("SELECT name FROM schema_migrations");
    expect(rows).toEqual([{ name: "0001_a.sql" }]);
    const b = await pool.query("SELECT to_regclass('b') AS b");
    expect(b.rows).toEqual([{ b: null }]);
  });
});
