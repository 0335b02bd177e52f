// Every file in examples/ is accepted by the real API server (server-side dry run: the schemas,
// defaults and CEL rules all run; nothing is stored).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../src/api/index.ts";
import { createNamespace, deleteNamespace, kubectl } from "../helpers/cluster.ts";

const dir = join(import.meta.dirname, "..", "..", "examples");
const yamlIn = (d: string) => readdirSync(d).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
const files = yamlIn(dir);
/** npm start's demo (examples/local): created, not applied (the Execution uses generateName). */
const localFiles = yamlIn(join(dir, "local")).map((f) => join("local", f));

let namespace: string;
beforeAll(async () => {
  namespace = await createNamespace("examples");
});
afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

describe("examples/", () => {
  it("has at least one example of every kind, none with a hard-coded namespace", () => {
    const docs = files.flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as {
      kind: string; metadata?: { namespace?: string };
    }));
    expect(new Set(docs.map((d) => d.kind))).toEqual(new Set(KIND_NAMES));
    expect(docs.filter((d) => d.metadata?.namespace !== undefined)).toEqual([]);
  });

  it.each(localFiles)("%s is created by a server-side dry run", async (file) => {
    const result = await kubectl(["create", "--dry-run=server", "-f", join(dir, file)], { namespace });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/created \(server dry run\)/);
  });

  it.each(files)("%s passes server-side dry run", async (file) => {
    const result = await kubectl(["apply", "--dry-run=server", "-f", join(dir, file)], { namespace });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created \(server dry run\)/);
  });
});
