/** Reads the migration files shipped beside this module (src/history/migrations/*.sql). */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMigrationFiles, type MigrationFile } from "./migration-plan.ts";

/** The folder holding the numbered SQL files. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

export async function readMigrationFiles(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = await readdir(dir);
  const files = await Promise.all(names.map(async (name) => ({ name, sql: name.endsWith(".sql") ? await readFile(join(dir, name), "utf8") : "" })));
  return parseMigrationFiles(files);
}
