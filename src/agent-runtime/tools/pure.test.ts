import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseArgs } from "./args.ts";
import { decodeText } from "./binary.ts";
import { applyEdit, countOccurrences } from "./edit-text.ts";
import { buildCommandEnv } from "./env.ts";
import { capHead, TailCapture } from "./truncate.ts";

describe("TailCapture", () => {
  it.each([
    [["abc", "def"], 10, "abcdef", false],
    [["abc", "def"], 4, "cdef", true],
    [["abcdef"], 0, "", true],
    [["a", "b", "c"], 2, "bc", true],
  ])("%j cap %d → %j", (chunks, cap, text, truncated) => {
    const c = new TailCapture(cap);
    for (const chunk of chunks) c.push(Buffer.from(chunk));
    expect(c.result()).toEqual({ text, truncated, totalBytes: chunks.join("").length });
  });

  it("drops a UTF-8 sequence cut by the cap", () => {
    const c = new TailCapture(3);
    c.push(Buffer.from("xé!")); // x, c3 a9, !
    c.push(Buffer.from("é"));
    expect(c.result().text).toBe("!é");
  });

  it("never keeps more than the cap", () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 50 })), fc.nat(100), (chunks, cap) => {
      const c = new TailCapture(cap);
      for (const chunk of chunks) c.push(Buffer.from(chunk));
      const all = Buffer.concat(chunks);
      const r = c.result();
      expect(r.totalBytes).toBe(all.length);
      expect(r.truncated).toBe(all.length > cap);
      if (!r.truncated) expect(r.text).toBe(all.toString("utf8"));
    }));
  });
});

describe("capHead", () => {
  it.each([
    ["hello", 10, "hello", false],
    ["hello", 3, "hel", true],
    ["éé", 3, "é", true],
  ])("%j cap %d", (text, cap, out, truncated) => {
    expect(capHead(text, cap)).toEqual({ text: out, truncated, totalBytes: Buffer.byteLength(text) });
  });
});

describe("decodeText", () => {
  it.each([
    [Buffer.from("plain text\n"), "plain text\n"],
    [Buffer.from([0x61, 0x00, 0x62]), undefined],
    [Buffer.from([0xff, 0xfe]), undefined],
    [Buffer.from("héllo"), "héllo"],
  ])("%j", (bytes, text) => expect(decodeText(bytes)).toBe(text));
});

describe("applyEdit", () => {
  it.each([
    ["a b c", { oldText: "b", newText: "x", replaceAll: false }, "a x c", 1],
    ["a b b", { oldText: "b", newText: "$&", replaceAll: true }, "a $& $&", 2],
    ["aaa", { oldText: "aa", newText: "b", replaceAll: true }, "ba", 1],
  ])("%j %j", (text, edit, out, n) => {
    expect(applyEdit(text, edit)).toEqual({ ok: true, text: out, replacements: n });
  });

  it.each([
    ["abc", "x", false, "EditTextNotFound"],
    ["b b", "b", false, "EditTextAmbiguous"],
  ])("%j without %j fails with %s", (text, oldText, replaceAll, code) => {
    expect(applyEdit(text, { oldText, newText: "", replaceAll })).toMatchObject({ ok: false, error: { code } });
  });

  it("counts non-overlapping occurrences", () => expect(countOccurrences("aaaa", "aa")).toBe(2));
});

describe("parseArgs", () => {
  const schema = z.object({ path: z.string(), n: z.number().int().optional() }).strict();
  it.each([
    [{ path: "a" }, true],
    [{ path: 1 }, false],
    [{}, false],
    [{ path: "a", extra: 1 }, false],
    [null, false],
    ["x", false],
  ])("%j → ok %s", (raw, ok) => {
    const r = parseArgs(schema, raw);
    expect(r.ok).toBe(ok);
    if (!r.ok && raw !== null && typeof raw === "object" && "path" in raw && raw.path === 1) expect(r.error.message).toContain("path:");
  });
});

describe("buildCommandEnv", () => {
  it("passes on only the allowlist, then the fixed variables and the additions", () => {
    const env = buildCommandEnv({
      runtimeEnv: { PATH: "/bin", AEGIS_TOKEN: "secret", LANG: "C.UTF-8" },
      allowlist: ["PATH", "LANG", "MISSING"],
      home: "/ws",
      cwd: "/ws/sub",
      additions: { FOO: "1", HOME: "/override" },
    });
    expect(env).toEqual({ PATH: "/bin", LANG: "C.UTF-8", HOME: "/override", PWD: "/ws/sub", TERM: "dumb", FOO: "1" });
  });
  it("defaults PATH", () => {
    expect(buildCommandEnv({ runtimeEnv: {}, allowlist: [], home: "/h", cwd: "/h" }).PATH).toBe("/usr/local/bin:/usr/bin:/bin");
  });
});
