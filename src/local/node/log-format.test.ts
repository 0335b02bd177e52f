import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEntry, formatEntry, LineSplitter, parseEntry, parseLogQuery, selectEntries, type LogEntry } from "./log-format.ts";

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const e = (s: number, content: string, partial = false): LogEntry => ({ time: at(s), stream: "stdout", partial, content });
const q = (params: string) => {
  const r = parseLogQuery(new URLSearchParams(params), at(100));
  if (!r.ok) throw new Error(r.message);
  return r.query;
};

describe("log file entries", () => {
  it("round-trip through the CRI line format", () => {
    const entry = fc.record({
      time: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
      stream: fc.constantFrom("stdout" as const, "stderr" as const),
      partial: fc.boolean(),
      content: fc.string().filter((s) => !s.includes("\n")),
    });
    fc.assert(fc.property(entry, (x) => JSON.stringify(parseEntry(encodeEntry(x).slice(0, -1))) === JSON.stringify(x)));
  });

  it.each(["", "garbage", "notatime stdout F x", "2026-01-01T00:00:00Z stdin F x"])("rejects %j", (line) => {
    expect(parseEntry(line)).toBeUndefined();
  });

  it("splits output into lines and keeps the unfinished tail", () => {
    const s = new LineSplitter();
    expect(s.push("a\nb")).toEqual(["a"]);
    expect(s.push("c\n\nd")).toEqual(["bc", ""]);
    expect(s.flush()).toBe("d");
    expect(s.flush()).toBeUndefined();
  });
});

describe("log queries", () => {
  const entries = [e(1, "one"), e(2, "tw", true), e(2, "o"), e(3, "three"), e(4, "four")];

  it.each([
    ["", ["one", "tw", "o", "three", "four"]],
    ["tailLines=2", ["three", "four"]],
    ["tailLines=3", ["tw", "o", "three", "four"]],
    ["tailLines=4", ["one", "tw", "o", "three", "four"]],
    ["tailLines=0", []],
    ["tailLines=99", ["one", "tw", "o", "three", "four"]],
    ["sinceTime=2026-01-01T00:00:03Z", ["three", "four"]],
    ["sinceSeconds=97", ["three", "four"]],
    ["sinceSeconds=98&tailLines=1", ["four"]],
  ])("%j selects %j", (params, expected) => {
    expect(selectEntries(entries, q(params)).map((x) => x.content)).toEqual(expected);
  });

  it("parses flags", () => {
    expect(q("follow=true&previous=true&timestamps=true&limitBytes=10")).toMatchObject({ follow: true, previous: true, timestamps: true, limitBytes: 10 });
    expect(q("follow=false")).toMatchObject({ follow: false, previous: false, timestamps: false });
  });

  it.each(["tailLines=-1", "tailLines=x", "limitBytes=0", "sinceSeconds=0", "sinceTime=yesterday"])("rejects %j", (params) => {
    expect(parseLogQuery(new URLSearchParams(params), at(0)).ok).toBe(false);
  });

  it("formats entries with optional timestamps", () => {
    expect(formatEntry(e(1, "x"), false)).toBe("x\n");
    expect(formatEntry(e(1, "x", true), false)).toBe("x");
    expect(formatEntry(e(1, "x"), true)).toBe("2026-01-01T00:00:01.000Z x\n");
  });
});
