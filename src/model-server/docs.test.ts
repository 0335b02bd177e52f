// The script in docs/scripted-model.md is a real, valid script.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseScript } from "./script.ts";

describe("docs/scripted-model.md", () => {
  it("shows a script that parses", async () => {
    const doc = await readFile(new URL("../../docs/scripted-model.md", import.meta.url), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const r = parseScript(yaml ?? "");
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.script.models["gpt-4o-mini"]).toHaveLength(5);
  });
});
