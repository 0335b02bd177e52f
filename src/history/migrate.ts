/**
 * Applies the versioned migrations. Two operator replicas may start together, so the whole run
 * holds a PostgreSQL session advisory lock: the second waits, then finds nothing left to do. Each
 * migration runs in its own transaction together with its `schema_migrations` row, so a failed
 * migration leaves neither its changes nor its row behind.
 */
import type pg from "pg";
import type { Logger } from "pino";
import { readMigrationFiles } from "./migration-files.ts";
import { MigrationError, planMigrations, type AppliedMigration, type MigrationFile } from "./migration-plan.ts";

/** The advisory lock key of the migrator (an arbitrary constant: "aegis" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x6165676973;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export interface MigrateOptions {
  readonly log?: Logger;
  /** The migrations to apply; the shipped files by default (tests pass their own). */
  readonly files?: readonly MigrationFile[];
}

/** Applies what is pending; returns the names applied by this call (empty when up to date). */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<string[]> {
  const files = options.files ?? (await readMigrationFiles());
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<AppliedMigration>("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
      const pending = planMigrations(files, rows);
      for (const file of pending) await applyOne(client, file);
      if (pending.length > 0) options.log?.info({ applied: pending.map((f) => f.name) }, "Applied history migrations");
      return pending.map((f) => f.name);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyOne(client: pg.PoolClient, file: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(file.sql);
    await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [file.version, file.name, file.checksum]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
