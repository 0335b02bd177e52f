import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectLines } from "./line-window.ts";

describe("selectLines", () => {
  it.each([
    ["a\nb\nc\n", 1, undefined, 100, { content: "a\nb\nc\n", lines: 3, totalLines: 3, truncated: false }],
    ["a\nb\nc", 2, undefined, 100, { content: "b\nc", lines: 2, totalLines: 3, truncated: false }],
    ["a\nb\nc\n", 1, 2, 100, { content: "a\nb\n", lines: 2, totalLines: 3, truncated: false, nextOffset: 3 }],
    ["a\nb\nc\n", 1, undefined, 4, { content: "a\nb\n", lines: 2, totalLines: 3, truncated: true, nextOffset: 3 }],
    ["abcdef\nx\n", 1, undefined, 3, { content: "abc", lines: 1, totalLines: 2, truncated: true, nextOffset: 2 }],
    ["", 1, undefined, 10, { content: "", lines: 0, totalLines: 0, truncated: false }],
    ["a\n", 5, undefined, 10, { content: "", lines: 0, totalLines: 1, truncated: false }],
  ])("%j from %d limit %s cap %d", (text, offset, limit, cap, window) => {
    expect(selectLines(text, offset, limit, cap)).toEqual(window);
  });

  it("reading on from nextOffset returns the whole text, within the cap each time", () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }).map((s) => s.replaceAll("\n", "")), { maxLength: 20 }), fc.integer({ min: 9, max: 40 }), (lines, cap) => {
      const text = lines.map((l) => `${l}\n`).join("");
      let offset: number | undefined = 1;
      let out = "";
      while (offset !== undefined) {
        const w = selectLines(text, offset, undefined, cap);
        expect(Buffer.byteLength(w.content)).toBeLessThanOrEqual(cap);
        out += w.content;
        offset = w.nextOffset;
      }
      expect(out).toBe(text);
    }));
  });
});
