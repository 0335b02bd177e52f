import fc from "fast-check";
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "./builtin.ts";
import { confine } from "./confine.ts";
import { isUnder } from "./path-policy.ts";
import { makeWorkspace, type TestWorkspace } from "./test-workspace.ts";

const registry = createBuiltinRegistry();
let ws: TestWorkspace;
const call = (name: string, args: unknown) => registry.invoke(name, args, ws.ctx);

beforeEach(async () => {
  ws = await makeWorkspace({ outputCapBytes: 64, maxFileBytes: 1024, maxListEntries: 5 });
  await writeFile(path.join(ws.root, "a.txt"), "one\ntwo\nthree\n");
  await mkdir(path.join(ws.root, "dir/sub"), { recursive: true });
  await writeFile(path.join(ws.root, "dir/b.txt"), "b");
  await writeFile(path.join(ws.root, "bin.dat"), Buffer.from([1, 0, 2]));
  await writeFile(path.join(ws.outside, "secret"), "secret");
  await symlink(ws.outside, path.join(ws.root, "out-link"));
  await symlink(path.join(ws.outside, "secret"), path.join(ws.root, "secret-link"));
  await symlink(path.join(ws.outside, "new-file"), path.join(ws.root, "dangling-out"));
  await symlink("a.txt", path.join(ws.root, "in-link"));
});
afterEach(() => ws.cleanup());

describe("path confinement (every fs tool)", () => {
  const attacks: [string, string][] = [
    ["../outside/secret", "PathOutsideWorkspace"],
    ["dir/../../outside/secret", "PathOutsideWorkspace"],
    ["/etc/passwd", "PathOutsideWorkspace"],
    ["/workspace/../etc/passwd", "PathOutsideWorkspace"],
    ["out-link/secret", "PathOutsideWorkspace"],
    ["secret-link", "PathOutsideWorkspace"],
    ["dangling-out", "PathOutsideWorkspace"],
    ["out-link/new/deeper", "PathOutsideWorkspace"],
    ["a\0.txt", "InvalidPath"],
  ];
  const tools: [string, Record<string, unknown>][] = [
    ["fs.read", {}],
    ["fs.write", { content: "x" }],
    ["fs.list", {}],
    ["fs.edit", { oldText: "s", newText: "t" }],
    ["fs.create_dir", {}],
  ];
  it.each(tools.flatMap(([tool, extra]) => attacks.map(([p, code]) => [tool, p, code, extra] as const)))(
    "%s %j → %s", async (tool, p, code, extra) => {
      expect(await call(tool, { path: p, ...extra })).toMatchObject({ ok: false, error: { code } });
      expect(await readdir(ws.outside)).toEqual(["secret"]);
      expect(await readFile(path.join(ws.outside, "secret"), "utf8")).toBe("secret");
    });

  it.each(attacks.filter(([p]) => !["secret-link", "dangling-out"].includes(p)))("fs.delete %j → %s", async (p, code) => {
    expect(await call("fs.delete", { path: p, recursive: true })).toMatchObject({ ok: false, error: { code } });
    expect(await readdir(ws.outside)).toEqual(["secret"]);
  });

  it.each(["secret-link", "out-link", "dangling-out"])("fs.delete %j removes the link, never its target", async (p) => {
    expect(await call("fs.delete", { path: p, recursive: true })).toMatchObject({ ok: true });
    await expect(lstat(path.join(ws.root, p))).rejects.toThrow();
    expect(await readdir(ws.outside)).toEqual(["secret"]);
  });

  it("treats %2e%2e as a literal name", async () => {
    expect(await call("fs.write", { path: "%2e%2e/%2e%2e/x", content: "y" })).toMatchObject({ ok: true, content: { path: "%2e%2e/%2e%2e/x" } });
    expect(await readFile(path.join(ws.root, "%2e%2e/%2e%2e/x"), "utf8")).toBe("y");
  });

  it("maps /workspace and the configured root into the workspace", async () => {
    expect(await call("fs.read", { path: "/workspace/a.txt" })).toMatchObject({ ok: true, content: { path: "a.txt" } });
    expect(await call("fs.read", { path: path.join(ws.root, "a.txt") })).toMatchObject({ ok: true });
  });

  it("works when the workspace root is itself a symlink (the local node's pod root)", async () => {
    const link = path.join(ws.base, "root-link");
    await symlink(ws.root, link);
    const ctx = { ...ws.ctx, workspaceRoot: link };
    expect(await registry.invoke("fs.read", { path: `${link}/a.txt` }, ctx)).toMatchObject({ ok: true });
    expect(await registry.invoke("fs.read", { path: "../outside/secret" }, ctx)).toMatchObject({ ok: false, error: { code: "PathOutsideWorkspace" } });
  });

  it("never resolves an arbitrary path outside the workspace", async () => {
    const segment = fc.oneof(fc.constantFrom("..", ".", "", "out-link", "secret-link", "dangling-out", "in-link", "dir", "workspace", "%2e%2e"), fc.string({ maxLength: 6 }));
    const input = fc.oneof(fc.array(segment, { maxLength: 6 }).map((s) => s.join("/")), fc.string());
    await fc.assert(fc.asyncProperty(input, fc.boolean(), fc.constantFrom("follow", "entry") as fc.Arbitrary<"follow" | "entry">, async (p, abs, mode) => {
      const r = await confine(ws.ctx, abs ? `/${p}` : p, mode);
      if ("ok" in r) {
        expect(["PathOutsideWorkspace", "InvalidPath", "IoError"]).toContain(r.error.code);
        return;
      }
      expect(isUnder(ws.root, r.real)).toBe(true);
    }), { numRuns: 300 });
  });
});

describe("fs.read", () => {
  it.each([
    [{ path: "a.txt" }, { content: "one\ntwo\nthree\n", lines: 3, totalLines: 3, truncated: false }],
    [{ path: "a.txt", offset: 2, limit: 1 }, { content: "two\n", lines: 1, nextOffset: 3 }],
    [{ path: "in-link" }, { content: "one\ntwo\nthree\n" }],
    [{ path: "a.txt", offset: 9 }, { content: "", lines: 0 }],
  ])("%j", async (args, content) => {
    expect(await call("fs.read", args)).toMatchObject({ ok: true, content });
  });

  it.each([
    [{ path: "missing" }, "NotFound"],
    [{ path: "dir" }, "NotAFile"],
    [{ path: "bin.dat" }, "BinaryFile"],
    [{ path: "a.txt", offset: 0 }, "InvalidArguments"],
    [{ path: 3 }, "InvalidArguments"],
    [{}, "InvalidArguments"],
  ])("%j → %s", async (args, code) => {
    expect(await call("fs.read", args)).toMatchObject({ ok: false, error: { code } });
  });

  it("caps the output and says where to continue", async () => {
    await writeFile(path.join(ws.root, "long.txt"), Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n"));
    const r = await call("fs.read", { path: "long.txt" });
    expect(r).toMatchObject({ ok: true, content: { truncated: true, totalLines: 40 } });
    if (!r.ok) return;
    expect(Buffer.byteLength(r.content.content as string)).toBeLessThanOrEqual(64);
    expect(r.content.nextOffset).toBe((r.content.lines as number) + 1);
  });

  it("refuses files over the size limit", async () => {
    await writeFile(path.join(ws.root, "big.txt"), "x".repeat(2000));
    expect(await call("fs.read", { path: "big.txt" })).toMatchObject({ ok: false, error: { code: "FileTooLarge" } });
  });
});

describe("fs.write", () => {
  it.each([
    [{ path: "new.txt", content: "hi" }, "new.txt", "hi"],
    [{ path: "a.txt", content: "replaced" }, "a.txt", "replaced"],
    [{ path: "deep/er/x.txt", content: "x" }, "deep/er/x.txt", "x"],
    [{ path: "/workspace/w.txt", content: "" }, "w.txt", ""],
    [{ path: "in-link", content: "via link" }, "a.txt", "via link"],
  ])("%j", async (args, file, text) => {
    expect(await call("fs.write", args)).toMatchObject({ ok: true });
    expect(await readFile(path.join(ws.root, file), "utf8")).toBe(text);
    expect((await readdir(path.dirname(path.join(ws.root, file)))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it.each([
    [{ path: "nope/x.txt", content: "x", createParents: false }, "NotFound"],
    [{ path: "dir", content: "x" }, "NotAFile"],
    [{ path: ".", content: "x" }, "NotAFile"],
    [{ path: "a.txt/x", content: "x" }, "NotADirectory"],
    [{ path: "big", content: "x".repeat(1025) }, "FileTooLarge"],
    [{ path: "x", content: 1 }, "InvalidArguments"],
  ])("%j → %s", async (args, code) => {
    expect(await call("fs.write", args)).toMatchObject({ ok: false, error: { code } });
  });
});

describe("fs.list", () => {
  it("lists one level, sorted, with types and sizes", async () => {
    const r = await call("fs.list", { path: "dir" });
    expect(r).toEqual({ ok: true, content: { path: "dir", truncated: false, entries: [
      { path: "dir/b.txt", type: "file", size: 1 },
      { path: "dir/sub", type: "directory", size: expect.any(Number) },
    ] } });
  });

  it("bounds the entries and flags the truncation", async () => {
    const r = await call("fs.list", { recursive: true });
    expect(r).toMatchObject({ ok: true, content: { truncated: true } });
    if (r.ok) expect(r.content.entries).toHaveLength(5);
  });

  it("recurses without following links", async () => {
    const r = await call("fs.list", { recursive: true, maxEntries: 2 });
    expect(r.ok).toBe(true);
    const all = await registry.invoke("fs.list", { recursive: true }, { ...ws.ctx, limits: { ...ws.ctx.limits, maxListEntries: 100 } });
    expect(all.ok && (all.content.entries as { path: string }[]).map((e) => e.path)).toEqual([
      "a.txt", "bin.dat", "dangling-out", "dir", "in-link", "out-link", "secret-link", "dir/b.txt", "dir/sub",
    ]);
  });

  it.each([
    [{ path: "a.txt" }, "NotADirectory"],
    [{ path: "missing" }, "NotFound"],
    [{ maxEntries: 0 }, "InvalidArguments"],
  ])("%j → %s", async (args, code) => {
    expect(await call("fs.list", args)).toMatchObject({ ok: false, error: { code } });
  });
});

describe("fs.edit", () => {
  it.each([
    [{ path: "a.txt", oldText: "two", newText: "2" }, "one\n2\nthree\n", 1],
    [{ path: "a.txt", oldText: "o", newText: "0", replaceAll: true }, "0ne\ntw0\nthree\n", 2],
  ])("%j", async (args, text, replacements) => {
    expect(await call("fs.edit", args)).toMatchObject({ ok: true, content: { replacements } });
    expect(await readFile(path.join(ws.root, "a.txt"), "utf8")).toBe(text);
  });

  it.each([
    [{ path: "a.txt", oldText: "four", newText: "4" }, "EditTextNotFound"],
    [{ path: "a.txt", oldText: "o", newText: "0" }, "EditTextAmbiguous"],
    [{ path: "a.txt", oldText: "", newText: "0" }, "InvalidArguments"],
    [{ path: "bin.dat", oldText: "x", newText: "y" }, "BinaryFile"],
    [{ path: "missing", oldText: "x", newText: "y" }, "NotFound"],
  ])("%j → %s, the file unchanged", async (args, code) => {
    expect(await call("fs.edit", args)).toMatchObject({ ok: false, error: { code } });
    expect(await readFile(path.join(ws.root, "a.txt"), "utf8")).toBe("one\ntwo\nthree\n");
  });
});

describe("fs.create_dir", () => {
  it.each([
    [{ path: "new/deep" }, true],
    [{ path: "dir" }, false],
  ])("%j → created %s", async (args, created) => {
    expect(await call("fs.create_dir", args)).toMatchObject({ ok: true, content: { created } });
  });
  it.each([
    [{ path: "a.txt" }, "AlreadyExists"],
    [{ path: "a.txt/x" }, "NotADirectory"],
  ])("%j → %s", async (args, code) => {
    expect(await call("fs.create_dir", args)).toMatchObject({ ok: false, error: { code } });
  });
});

describe("fs.delete", () => {
  it.each([
    [{ path: "a.txt" }, "a.txt"],
    [{ path: "dir/sub" }, "dir/sub"],
    [{ path: "dir", recursive: true }, "dir"],
    [{ path: "in-link" }, "in-link"],
  ])("%j", async (args, gone) => {
    expect(await call("fs.delete", args)).toMatchObject({ ok: true });
    await expect(lstat(path.join(ws.root, gone))).rejects.toThrow();
  });

  it("deleting a link leaves its target", async () => {
    await call("fs.delete", { path: "in-link" });
    expect(await readFile(path.join(ws.root, "a.txt"), "utf8")).toBe("one\ntwo\nthree\n");
  });

  it.each([
    [{ path: "." }, "IsWorkspaceRoot"],
    [{ path: "/workspace" }, "IsWorkspaceRoot"],
    [{ path: "dir/.." }, "IsWorkspaceRoot"],
    [{ path: ".", recursive: true }, "IsWorkspaceRoot"],
    [{ path: "dir" }, "DirectoryNotEmpty"],
    [{ path: "missing" }, "NotFound"],
  ])("%j → %s", async (args, code) => {
    expect(await call("fs.delete", args)).toMatchObject({ ok: false, error: { code } });
    expect(await readFile(path.join(ws.root, "a.txt"), "utf8")).toBe("one\ntwo\nthree\n");
  });
});

describe("registry", () => {
  it("shows each tool with a JSON Schema", () => {
    const specs = registry.specs();
    expect(specs.map((s) => s.name)).toEqual(["fs.read", "fs.write", "fs.list", "fs.edit", "fs.create_dir", "fs.delete", "cmd.run"]);
    expect(specs[0]?.parameters).toMatchObject({ type: "object", required: ["path"], additionalProperties: false });
    expect(registry.specs(["fs.read"]).map((s) => s.name)).toEqual(["fs.read"]);
  });

  it("answers an unknown tool with UnknownTool", async () => {
    expect(await call("fs.nope", {})).toMatchObject({ ok: false, error: { code: "UnknownTool" } });
  });

  it("never throws on arbitrary arguments", async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...registry.names()), fc.anything(), async (name, args) => {
      const r = await call(name, args);
      expect(typeof r.ok).toBe("boolean");
      if (!r.ok) expect(r.error.code).not.toBe("Internal");
    }), { numRuns: 300 });
    expect(await readdir(ws.outside)).toEqual(["secret"]);
  });
});
