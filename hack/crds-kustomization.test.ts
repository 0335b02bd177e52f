import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../src/local/paths.ts";

describe("crds/kustomization.yaml", () => {
  it("lists exactly the CRD files in crds/", () => {
    const dir = join(repoRoot(), "crds");
    const listed = (parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] }).resources;
    const onDisk = readdirSync(dir).filter((f) => f.endsWith(".aegis.dev.yaml"));
    expect([...listed].sort()).toEqual(onDisk.sort());
  });
});
