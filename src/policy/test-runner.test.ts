import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { policyTestMain } from "../cli/policy-test.ts";
import { runPolicyTests } from "./test-runner.ts";

const EXAMPLES = new URL("../../examples/policies", import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the examples with one file rewritten. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "aegis-policy-"));
  dirs.push(dir);
  cpSync(EXAMPLES, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
  return dir;
}

describe("runPolicyTests", () => {
  it("passes every example case", () => {
    const report = runPolicyTests(EXAMPLES);
    expect(report.errors).toEqual([]);
    expect(report.results.filter((r) => !r.pass)).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(20);
    expect(report.ok).toBe(true);
  });

  it("fails a case whose policy changed, saying what it expected", () => {
    // Dropping the forbid makes fs.delete fall under the fs.* permit.
    const dir = brokenCopy("tools.cedar", (t) => t.replace(/@id\("no-delete"\)\nforbid[^;]*;/, ""));
    const report = runPolicyTests(dir);
    expect(report.ok).toBe(false);
    expect(report.results.filter((r) => !r.pass).map((r) => [r.name, r.actual])).toEqual([
      ["delete is forbidden even inside the workspace", "allow"],
    ]);
  });

  it("reports a policy that does not validate, naming the file, and runs no case", () => {
    const dir = brokenCopy("admission.cedar", (t) => t.replace("context.maxIterations", "context.maxIteration"));
    const report = runPolicyTests(dir);
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([]);
    expect(report.errors[0]).toMatchObject({ source: "admission.cedar", policyId: "admission.cedar:budget" });
  });

  it("fails a malformed case file", () => {
    const dir = brokenCopy("tools.test.yaml", (t) => t.replace("expect: allow", "expect: maybe"));
    expect(runPolicyTests(dir).results.some((r) => r.name === "(file)" && !r.pass)).toBe(true);
  });
});

describe("aegis policy test", () => {
  it("exits 0 on the examples and 1 on a broken copy", () => {
    const out: string[] = [];
    expect(policyTestMain([EXAMPLES], (t) => out.push(t))).toBe(0);
    expect(out.join("\n")).toMatch(/\d+ passed, 0 failed/);
    const broken = brokenCopy("tools.test.yaml", (t) => t.replace("tool: fs.delete, arguments: { path: /workspace/tmp } }\n    expect: deny",
      "tool: fs.delete, arguments: { path: /workspace/tmp } }\n    expect: allow"));
    const lines: string[] = [];
    expect(policyTestMain([broken], (t) => lines.push(t))).toBe(1);
    expect(lines.join("\n")).toMatch(/FAIL .*delete is forbidden[\s\S]*expected allow, got deny/);
  });

  it("exits 2 without a directory", () => {
    expect(policyTestMain([], () => {})).toBe(2);
  });
});
