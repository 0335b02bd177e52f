/**
 * Pure migration planning: which numbered SQL files still need applying, given the rows already
 * in `schema_migrations`. No I/O here; migrate.ts reads the files and the table and acts.
 */
import { createHash } from "node:crypto";

export interface MigrationFile {
  /** The number in the file name: 0001_init.sql → 1. */
  readonly version: number;
  /** The file name, e.g. "0001_init.sql". */
  readonly name: string;
  readonly sql: string;
  /** sha256 of the SQL text, hex. */
  readonly checksum: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** A file name that is a migration: four or more digits, an underscore, a snake_case title. */
const MIGRATION_NAME = /^(\d{4,})_([a-z0-9_]+)\.sql$/;

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/**
 * The migrations among `files` (name → SQL text), sorted by version. Non-.sql files are ignored;
 * a .sql file with a malformed name, or two files with the same version, is an error.
 */
export function parseMigrationFiles(files: ReadonlyArray<{ name: string; sql: string }>): MigrationFile[] {
  const byVersion = new Map<number, MigrationFile>();
  for (const { name, sql } of files) {
    if (!name.endsWith(".sql")) continue;
    const match = MIGRATION_NAME.exec(name);
    if (!match) throw new MigrationError(`Migration file ${name} is not named like 0001_title.sql`);
    const version = Number(match[1]);
    const clash = byVersion.get(version);
    if (clash) throw new MigrationError(`Migration files ${clash.name} and ${name} have the same version ${version}`);
    byVersion.set(version, { version, name, sql, checksum: checksumOf(sql) });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/**
 * The files still to apply, in order. Every applied row must match a file with the same name and
 * checksum: an edited applied migration (drift) or an applied one whose file is gone is an error
 * naming the file, because the database no longer matches what the code believes it is.
 */
export function planMigrations(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationFile[] {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) throw new MigrationError(`Migration ${row.name} (version ${row.version}) is applied in the database but its file is missing`);
    if (file.name !== row.name) throw new MigrationError(`Migration version ${row.version} was applied as ${row.name} but the file is now ${file.name}`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${file.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); add a new migration instead`);
    }
  }
  const done = new Set(applied.map((row) => row.version));
  return files.filter((file) => !done.has(file.version));
}
