import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose, isAlive, startComponent } from "./component.ts";
import { eventually } from "../../../test/helpers/eventually.ts";
import { tempDirs } from "../../../test/helpers/temp-dirs.ts";
import { ControlPlaneError } from "./errors.ts";

const tempDir = tempDirs();

async function script(body: string): Promise<{ path: string; dir: string }> {
  const dir = await tempDir("aegis-component");
  const path = join(dir, "component.sh");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return { path, dir };
}

describe("startComponent", () => {
  it("reports a component that dies while starting, with the last lines of its log", async () => {
    const { path, dir } = await script("echo 'listen tcp 127.0.0.1:6443: bind: address already in use'; exit 3");
    const error = await startComponent({ name: "fake-apiserver", binary: path, args: [], logPath: join(dir, "log"), ready: async () => false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlPlaneError);
    const text = (error as ControlPlaneError).describe();
    expect(text).toContain("fake-apiserver exited (code 3) while starting");
    expect(text).toContain("bind: address already in use");
    expect(text).toContain(`log: ${join(dir, "log")}`);
    expect(text).toMatch(/hint: a port it needs is already in use/);
  });

  it("returns once ready and stops the whole process group", async () => {
    const { path, dir } = await script("sleep 300 & echo $! > \"$1\"; wait");
    const childPidFile = join(dir, "child.pid");
    const { readFile } = await import("node:fs/promises");
    const component = await startComponent({
      name: "sleeper",
      binary: path,
      args: [childPidFile],
      logPath: join(dir, "log"),
      ready: async () => (await readFile(childPidFile, "utf8").catch(() => "")).trim() !== "",
    });
    const grandchild = Number((await readFile(childPidFile, "utf8")).trim());
    await component.stop(2000);
    expect(isAlive(component.pid)).toBe(false);
    // The group's other members got SIGKILL; the kernel takes a moment to finish them.
    await eventually(() => expect(isAlive(grandchild)).toBe(false), { timeoutMs: 2000, intervalMs: 10 });
  });
});

describe("diagnose", () => {
  it.each([
    ["bind: address already in use", /port/],
    ["open /x: permission denied", /not accessible/],
    ["something else", undefined],
  ])("%s", (log, expected) => {
    const hint = diagnose(log);
    if (expected === undefined) expect(hint).toBeUndefined();
    else expect(hint).toMatch(expected);
  });
});
