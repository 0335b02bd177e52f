import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { describeDrift, findDrift, isClean } from "./drift.ts";
import { generatedOnDisk, readRepoFile, writeAll } from "./files.ts";
import { HEADER, renderAll } from "./render.ts";

describe("findDrift", () => {
  const expected = new Map([["crds/a.aegis.dev.yaml", "a\n"], ["crds/b.aegis.dev.yaml", "b\n"]]);

  it("is clean when every file matches", () => {
    const drift = findDrift(expected, (p) => expected.get(p), [...expected.keys()]);
    expect(isClean(drift)).toBe(true);
    expect(describeDrift(drift)).toMatch(/up to date/);
  });

  it("reports drifted, missing and stale files and says how to fix it", () => {
    const disk = new Map([["crds/a.aegis.dev.yaml", "edited by hand\n"], ["crds/old.aegis.dev.yaml", "x"]]);
    const drift = findDrift(expected, (p) => disk.get(p), [...disk.keys()]);
    expect(drift).toEqual({
      drifted: ["crds/a.aegis.dev.yaml"],
      missing: ["crds/b.aegis.dev.yaml"],
      stale: ["crds/old.aegis.dev.yaml"],
    });
    const message = describeDrift(drift);
    expect(message).toContain("crds/a.aegis.dev.yaml");
    expect(message).toContain("crds/b.aegis.dev.yaml");
    expect(message).toContain("crds/old.aegis.dev.yaml");
    expect(message).toContain("run npm run gen");
  });
});

describe("renderAll", () => {
  const files = renderAll();

  it("is deterministic", () => {
    expect([...renderAll()]).toEqual([...files]);
  });

  it("writes one CRD and one type file per kind, each with the do-not-edit header", () => {
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.startsWith("crds/"))).toHaveLength(6);
    expect(paths).toContain("src/api/generated/execution.ts");
    for (const [path, content] of files) expect(content.split("\n")[0], path).toContain(HEADER);
  });

  it("matches the committed files (what npm run verify checks)", () => {
    const drift = findDrift(files, (p) => readRepoFile(p), generatedOnDisk());
    expect(describeDrift(drift)).toBe("generated files are up to date");
  });

  it("is detected by verify when a generated file is edited, and repaired by gen", () => {
    const root = mkdtempSync(join(tmpdir(), "aegis-gen-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    writeAll(files, root);
    expect(isClean(findDrift(files, (p) => readRepoFile(p, root), generatedOnDisk(root)))).toBe(true);
    const crd = join(root, "crds/agents.aegis.dev.yaml");
    writeFileSync(crd, readFileSync(crd, "utf8").replace("shortNames", "shortnames"));
    writeFileSync(join(root, "crds/gone.aegis.dev.yaml"), "# stale\n");
    const drift = findDrift(files, (p) => readRepoFile(p, root), generatedOnDisk(root));
    expect(drift.drifted).toEqual(["crds/agents.aegis.dev.yaml"]);
    expect(drift.stale).toEqual(["crds/gone.aegis.dev.yaml"]);
    expect(writeAll(files, root).sort()).toEqual(["crds/agents.aegis.dev.yaml", "crds/gone.aegis.dev.yaml"]);
    expect(isClean(findDrift(files, (p) => readRepoFile(p, root), generatedOnDisk(root)))).toBe(true);
  });
});
