// `aegis policy test <dir>`: compiles the directory's *.cedar files against the schema and runs
// every case of its *.test.yaml files. The I/O half; the deciding is in test-cases.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compilePolicies, type PolicyError } from "./load.ts";
import { authorize } from "./authorize.ts";
import { parseCaseFile, runCase } from "./test-cases.ts";

export interface PolicyTestResult {
  readonly file: string;
  readonly name: string;
  readonly expected: "allow" | "deny" | undefined;
  readonly actual: "allow" | "deny" | undefined;
  readonly pass: boolean;
  readonly detail: string;
}

export interface PolicyTestReport {
  readonly ok: boolean;
  readonly revision: string | undefined;
  readonly policyCount: number;
  /** Cedar's parse and validation errors, naming the .cedar file: no case runs when there are any. */
  readonly errors: readonly PolicyError[];
  readonly results: readonly PolicyTestResult[];
}

export function runPolicyTests(dir: string): PolicyTestReport {
  const files = readdirSync(dir).sort();
  const sources = files.filter((f) => f.endsWith(".cedar")).map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
  const compiled = compilePolicies(sources);
  if (!compiled.ok) return { ok: false, revision: undefined, policyCount: 0, errors: compiled.errors, results: [] };
  const set = compiled.policySet;
  const results: PolicyTestResult[] = [];
  const caseFiles = files.filter((f) => f.endsWith(".test.yaml") || f.endsWith(".test.yml"));
  for (const file of caseFiles) {
    const parsed = parseCaseFile(readFileSync(join(dir, file), "utf8"));
    if (!parsed.ok) {
      results.push({ file, name: "(file)", expected: undefined, actual: undefined, pass: false, detail: parsed.error });
      continue;
    }
    for (const c of parsed.cases) {
      const o = runCase(c, (request) => authorize(set, request));
      results.push({ file, name: c.name, expected: c.expect, actual: o.actual, pass: o.pass, detail: o.detail });
    }
  }
  // A directory with policies but no cases proves nothing: CI should say so.
  const noCases = caseFiles.length === 0
    ? [{ file: "(dir)", name: "(no *.test.yaml files)", expected: undefined, actual: undefined, pass: false, detail: "no test cases found" }]
    : [];
  const all = [...results, ...noCases];
  return { ok: all.every((r) => r.pass), revision: set.revision, policyCount: set.policies.size, errors: [], results: all };
}
