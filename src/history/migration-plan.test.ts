import { describe, expect, it } from "vitest";
import { checksumOf, parseMigrationFiles, planMigrations, type AppliedMigration } from "./migration-plan.ts";

const files = parseMigrationFiles([
  { name: "0002_more.sql", sql: "SELECT 2;" },
  { name: "README.md", sql: "not a migration" },
  { name: "0001_init.sql", sql: "SELECT 1;" },
]);
const applied = (name: string, version: number, sql: string): AppliedMigration => ({ name, version, checksum: checksumOf(sql) });

describe("parseMigrationFiles", () => {
  it("keeps .sql files sorted by version with their checksums", () => {
    expect(files.map((f) => [f.version, f.name])).toEqual([[1, "0001_init.sql"], [2, "0002_more.sql"]]);
    expect(files[0]!.checksum).toBe(checksumOf("SELECT 1;"));
  });

  it.each([
    { reason: "a malformed name", input: [{ name: "init.sql", sql: "" }], error: /init.sql is not named like/ },
    { reason: "a duplicate version", input: [{ name: "0001_a.sql", sql: "" }, { name: "0001_b.sql", sql: "" }], error: /0001_a.sql and 0001_b.sql have the same version/ },
  ])("rejects $reason", ({ input, error }) => {
    expect(() => parseMigrationFiles(input)).toThrow(error);
  });
});

describe("planMigrations", () => {
  it.each([
    { reason: "nothing applied → all, in order", rows: [], want: ["0001_init.sql", "0002_more.sql"] },
    { reason: "the first applied → the rest", rows: [applied("0001_init.sql", 1, "SELECT 1;")], want: ["0002_more.sql"] },
    { reason: "all applied → nothing", rows: [applied("0001_init.sql", 1, "SELECT 1;"), applied("0002_more.sql", 2, "SELECT 2;")], want: [] },
  ])("plans $reason", ({ rows, want }) => {
    expect(planMigrations(files, rows).map((f) => f.name)).toEqual(want);
  });

  it.each([
    { reason: "an edited applied file", rows: [applied("0001_init.sql", 1, "SELECT 'edited';")], error: /Migration 0001_init.sql was changed after it was applied/ },
    { reason: "a renamed applied file", rows: [applied("0001_first.sql", 1, "SELECT 1;")], error: /applied as 0001_first.sql but the file is now 0001_init.sql/ },
    { reason: "a missing applied file", rows: [applied("0009_gone.sql", 9, "")], error: /0009_gone.sql .* its file is missing/ },
  ])("rejects $reason, naming the file", ({ rows, error }) => {
    expect(() => planMigrations(files, rows)).toThrow(error);
  });
});
