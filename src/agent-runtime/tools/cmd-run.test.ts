import fc from "fast-check";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "./builtin.ts";
import { makeWorkspace, type TestWorkspace } from "./test-workspace.ts";

const registry = createBuiltinRegistry();
let ws: TestWorkspace;
const run = (args: unknown, ctx = ws.ctx) => registry.invoke("cmd.run", args, ctx);

beforeEach(async () => {
  ws = await makeWorkspace({ outputCapBytes: 1024, timeoutMs: 5000, killGraceMs: 300 });
  await mkdir(path.join(ws.root, "sub"));
  await writeFile(path.join(ws.root, "f"), "x");
});
afterEach(() => ws.cleanup());

/** Running (a killed process may linger as a zombie until its new parent reaps it). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
};

describe("cmd.run", () => {
  it.each([
    [{ command: "echo", args: ["hello", "$HOME", "*"] }, { exitCode: 0, signal: null, stdout: "hello $HOME *\n", stderr: "" }],
    [{ command: "sh", args: ["-c", "echo out; echo err >&2; exit 3"] }, { exitCode: 3, stdout: "out\n", stderr: "err\n" }],
    [{ command: "sh", args: ["-c", "echo $FOO"], env: { FOO: "bar" } }, { stdout: "bar\n" }],
    [{ command: "sh", args: ["-c", "kill -9 $$"] }, { exitCode: null, signal: "SIGKILL" }],
  ])("%j", async (args, content) => {
    expect(await run(args)).toMatchObject({ ok: true, content });
  });

  it.each(["sub", "/workspace/sub", "sub/../sub"])("runs in cwd %j", async (cwd) => {
    expect(await run({ command: "pwd", cwd })).toMatchObject({ ok: true, content: { stdout: `${path.join(ws.root, "sub")}\n` } });
  });

  it.each([
    [{ command: "no-such-command-aegis" }, "CommandNotFound"],
    [{ command: "./f" }, "CommandStartFailed"],
    [{ command: "echo", cwd: "../outside" }, "PathOutsideWorkspace"],
    [{ command: "echo", cwd: "missing" }, "NotFound"],
    [{ command: "echo", cwd: "f" }, "NotADirectory"],
    [{ command: "" }, "InvalidArguments"],
    [{ command: "echo", args: ["a\0b"] }, "InvalidArguments"],
    [{ command: "echo", env: { "A-B": "x" } }, "InvalidArguments"],
    [{ command: ["echo"] }, "InvalidArguments"],
    [{ command: "echo", timeoutSeconds: 0 }, "InvalidArguments"],
  ])("%j → %s", async (args, code) => {
    expect(await run(args)).toMatchObject({ ok: false, error: { code } });
  });

  it("passes on no runtime secret: only the allowlist", async () => {
    const ctx = { ...ws.ctx, runtimeEnv: { PATH: process.env.PATH, AEGIS_SEAL_TOKEN: "secret", LANG: "C" } };
    const r = await run({ command: "env" }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const names = (r.content.stdout as string).trim().split("\n").map((l) => l.split("=")[0]).sort();
    expect(names).toEqual(["HOME", "LANG", "PATH", "PWD", "TERM"]);
    expect(r.content.stdout).toContain(`HOME=${ws.root}`);
  });

  it("keeps the tail of each stream within the cap and flags the truncation", async () => {
    const r = await run({ command: "sh", args: ["-c", "i=0; while [ $i -lt 500 ]; do echo line$i; i=$((i+1)); done; echo small >&2"] });
    expect(r).toMatchObject({ ok: true, content: { stdoutTruncated: true, stderrTruncated: false, stderr: "small\n" } });
    if (!r.ok) return;
    expect(Buffer.byteLength(r.content.stdout as string)).toBeLessThanOrEqual(1024);
    expect(r.content.stdout).toMatch(/line499\n$/);
    expect(r.content.stdoutBytes).toBeGreaterThan(1024);
  });

  it("kills the whole process group on timeout, SIGKILL for a child that ignores SIGTERM", async () => {
    const script = "trap '' TERM; (trap '' TERM; echo $$ > /dev/null; sleep 30) & echo $! > child.pid; sleep 30";
    const started = Date.now();
    const r = await run({ command: "sh", args: ["-c", script], timeoutSeconds: 0.5 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r).toMatchObject({ ok: false, error: { code: "CommandTimedOut", details: { signal: "SIGKILL" } } });
    const child = Number((await readFile(path.join(ws.root, "child.pid"), "utf8")).trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(child)).toBe(false);
  });

  it("a process that honours SIGTERM ends with it", async () => {
    const r = await run({ command: "sleep", args: ["30"], timeoutSeconds: 0.2 });
    expect(r).toMatchObject({ ok: false, error: { code: "CommandTimedOut", details: { signal: "SIGTERM" } } });
  });

  it("kills what the command left running in its group when it exits", async () => {
    const r = await run({ command: "sh", args: ["-c", "sleep 30 & echo $! > bg.pid"] });
    expect(r).toMatchObject({ ok: true, content: { exitCode: 0 } });
    const bg = Number((await readFile(path.join(ws.root, "bg.pid"), "utf8")).trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(bg)).toBe(false);
  });

  it("is cancelled through the context's signal", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run({ command: "sleep", args: ["30"] }, { ...ws.ctx, signal: controller.signal });
    expect(r).toMatchObject({ ok: false, error: { code: "Aborted" } });
  });

  it("never throws on arbitrary arguments", async () => {
    const argsArb = fc.record({
      command: fc.oneof(fc.constantFrom("true", "echo", "no-such-cmd"), fc.string({ maxLength: 5 })),
      args: fc.option(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), { nil: undefined }),
      cwd: fc.option(fc.oneof(fc.constantFrom(".", "sub", "..", "/"), fc.string({ maxLength: 5 })), { nil: undefined }),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(fc.oneof(argsArb, fc.anything()), async (args) => {
      const r = await run(args);
      if (!r.ok) expect(r.error.code).not.toBe("Internal");
    }), { numRuns: 100 });
  });
});
