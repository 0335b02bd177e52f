/**
 * For tests: a throw-away database on the machine's PostgreSQL (127.0.0.1:5432, trust auth),
 * created fresh and dropped afterwards, so every test file is isolated. TEST_DATABASE_ADMIN_URL
 * overrides the server to use.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** A pool on the database; ended by drop(). */
  pool(max?: number): pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `aegis_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  return {
    url: url.toString(),
    name,
    pool(max = 10) {
      const pool = new pg.Pool({ connectionString: url.toString(), max });
      pool.on("error", () => undefined); // idle clients cut by drop()'s FORCE
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((p) => p.end()));
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
