// `aegis policy test <dir>`: prints one line per case and exits 0 only when the policies compile
// and every case passes, so CI can gate pull requests on it.
import { formatPolicyError } from "../policy/load.ts";
import { runPolicyTests, type PolicyTestReport } from "../policy/test-runner.ts";

export function formatReport(dir: string, report: PolicyTestReport): string {
  const lines: string[] = [];
  if (report.errors.length > 0) {
    lines.push(`${dir}: the policies do not compile against the schema:`);
    for (const e of report.errors) lines.push(`  ${formatPolicyError(e)}`);
    return lines.join("\n");
  }
  lines.push(`${dir}: ${report.policyCount} policies, revision ${report.revision?.slice(0, 12)}`);
  const width = Math.max(...report.results.map((r) => `${r.file} ${r.name}`.length), 10);
  for (const r of report.results) {
    const status = r.pass ? "PASS" : "FAIL";
    const got = r.actual ?? "-";
    lines.push(`${status}  ${`${r.file} ${r.name}`.padEnd(width)}  expect ${r.expected ?? "-"}  got ${got}${r.pass ? "" : `\n      ${r.detail}`}`);
  }
  const failed = report.results.filter((r) => !r.pass).length;
  lines.push(`${report.results.length - failed} passed, ${failed} failed`);
  return lines.join("\n");
}

/** Runs the command; returns the exit code. */
export function policyTestMain(args: readonly string[], print: (text: string) => void = console.log): number {
  const dir = args[0];
  if (dir === undefined || args.length !== 1) {
    print("usage: aegis policy test <dir>");
    return 2;
  }
  try {
    const report = runPolicyTests(dir);
    print(formatReport(dir, report));
    return report.ok ? 0 : 1;
  } catch (e) {
    print(`${dir}: ${(e as Error).message}`);
    return 1;
  }
}
