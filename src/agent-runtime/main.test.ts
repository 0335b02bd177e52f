// The program as a real child process with the contract's env: exit codes, logs on stderr, no token.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, TEST_TOKEN, type Harness } from "./test-harness.ts";

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.ts");

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

function runMain(env: Record<string, string>, opts: { sigtermAfterMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    if (opts.sigtermAfterMs !== undefined) setTimeout(() => child.kill("SIGTERM"), opts.sigtermAfterMs);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const contractEnv = (h: Harness, extra: Record<string, string> = {}): Record<string, string> => ({
  AEGIS_GATEWAY_URL: h.gateway.url,
  AEGIS_EXECUTION_TOKEN: TEST_TOKEN,
  AEGIS_EXECUTION: "exec-1",
  AEGIS_NAMESPACE: "default",
  AEGIS_ITERATION: "1",
  AEGIS_WORKSPACE: h.workspace,
  ...extra,
});

const logLines = (stderr: string): Record<string, unknown>[] => stderr.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe("node src/agent-runtime/main.ts", () => {
  it("exits 2 naming every missing variable", async () => {
    const { code, stderr } = await runMain({ AEGIS_MAX_TOOL_ROUNDS: "zero" });
    expect(code).toBe(2);
    const [line] = logLines(stderr);
    expect(line).toMatchObject({ level: "fatal", msg: "Refused the environment" });
    expect((line?.problems as string[]).map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["AEGIS_GATEWAY_URL", "AEGIS_EXECUTION_TOKEN", "AEGIS_EXECUTION", "AEGIS_NAMESPACE", "AEGIS_ITERATION", "AEGIS_MAX_TOOL_ROUNDS"]),
    );
  });

  it("runs an iteration to the end (exit 0), with JSON logs on stderr that never carry the token", async () => {
    harness = await startHarness({
      models: { "agent-model": [{ toolCalls: [{ name: "fs.write", arguments: { path: "/workspace/result.txt", content: "42" } }] }, { text: "Wrote 42." }] },
    });
    const { code, stderr, stdout } = await runMain(contractEnv(harness));
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(await readFile(path.join(harness.workspace, "result.txt"), "utf8")).toBe("42");
    expect(harness.gateway.outputs).toEqual([{ output: "Wrote 42.", exitCode: 0 }]);
    expect(stderr).not.toContain(TEST_TOKEN);
    expect(logLines(stderr).map((l) => l.msg)).toEqual(["Started the iteration", "Ran a tool call", "Model stopped", "Finished the iteration"]);
  });

  it("exits 124 at AEGIS_ITERATION_TIMEOUT", async () => {
    harness = await startHarness({ models: { "agent-model": [{ text: "slow", delayMs: 30_000 }] } });
    const { code } = await runMain(contractEnv(harness, { AEGIS_ITERATION_TIMEOUT: "1" }));
    expect(code).toBe(124);
    expect(harness.gateway.outputs).toEqual([{ output: "", exitCode: 124 }]);
  });

  it("on SIGTERM aborts, posts what it has and exits 143", async () => {
    harness = await startHarness({
      models: { "agent-model": [{ text: "Half way.", toolCalls: [{ name: "fs.list", arguments: {} }] }, { text: "slow", delayMs: 30_000 }] },
    });
    const { code, stderr } = await runMain(contractEnv(harness), { sigtermAfterMs: 1500 });
    expect(code).toBe(143);
    expect(harness.gateway.outputs).toEqual([{ output: "Half way.", exitCode: 143 }]);
    expect(stderr).toContain("Received a termination signal");
  });

  it("exits 1 when the gateway is unreachable", async () => {
    const { code, stderr } = await runMain({ AEGIS_GATEWAY_URL: "http://127.0.0.1:1", AEGIS_EXECUTION_TOKEN: TEST_TOKEN, AEGIS_EXECUTION: "e", AEGIS_NAMESPACE: "n", AEGIS_ITERATION: "0", AEGIS_WORKSPACE: "/tmp", AEGIS_GATEWAY_RETRY_WINDOW: "1" });
    expect(code).toBe(1);
    expect(stderr).toContain("connection failed");
    expect(stderr).not.toContain(TEST_TOKEN);
  });
});
