// The CLI as a user runs it: a real process, a script file, the URL on stdout.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

async function scriptFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "scripted-model-"));
  const file = join(dir, "script.yaml");
  await writeFile(file, text);
  return file;
}

describe("parseCli", () => {
  it.each([
    { argv: ["--script", "s.yaml"], want: { ok: true, options: { script: "s.yaml", port: 0, host: "127.0.0.1", apiKey: undefined } } },
    { argv: ["--script", "s.yaml", "--port", "8080", "--api-key", "k"], want: { ok: true, options: { script: "s.yaml", port: 8080, host: "127.0.0.1", apiKey: "k" } } },
    { argv: [], want: { ok: false, error: "--script is required" } },
    { argv: ["--script", "s", "--port", "x"], want: { ok: false, error: "--port must be an integer 0..65535, got x" } },
    { argv: ["--script", "s", "--bogus"], want: { ok: false, error: expect.stringContaining("--bogus") } },
  ])("$argv", ({ argv, want }) => {
    expect(parseCli(argv)).toEqual(want);
  });
});

describe("main.ts", () => {
  it("prints its URL and serves the script until SIGTERM", async () => {
    const file = await scriptFile("models:\n  m:\n    - text: from the CLI\n");
    const child = spawn(process.execPath, [MAIN, "--script", file, "--port", "0", "--api-key", "k"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = once(child, "exit");
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const url = line.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(await res.json()).toMatchObject({ choices: [{ message: { content: "from the CLI" } }] });
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
  });

  it("exits 2 naming the field of a bad script", async () => {
    const file = await scriptFile("models:\n  m:\n    - text: 1\n");
    const child = spawn(process.execPath, [MAIN, "--script", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(2);
    expect(stderr).toContain("models.m.0.text");
  });
});
