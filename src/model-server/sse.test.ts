import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText, createSseParser, encodeSse, parseSse } from "./sse.ts";

describe("SSE framing", () => {
  it("parses what a client receives: events, multi-line data, comments, CRLF", () => {
    const body = ": ping\r\nevent: a\r\ndata: {\"x\":1}\r\n\r\ndata: one\ndata:two\n\nevent: empty\n\n";
    expect(parseSse(body)).toEqual([{ event: "a", data: '{"x":1}' }, { data: "one\ntwo" }]);
  });

  it("round-trips any sequence of events", () => {
    const event = fc.record({ event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }), data: fc.string() });
    fc.assert(
      fc.property(fc.array(event), (events) => {
        const wire = events.map(encodeSse).join("");
        const want = events.map((e) => ({ ...(e.event === undefined ? {} : { event: e.event }), data: e.data.replace(/\r\n|\r/g, "\n") }));
        expect(parseSse(wire)).toEqual(want);
      }),
    );
  });

  it("parses a body fed in pieces cut anywhere (a CRLF split included) as it parses it whole", () => {
    const piece = fc.constantFrom("data: a", "data:b", "\r", "\n", "\r\n", "event: e", ": c", "x", "");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const body = parts.join("");
        const at = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const parser = createSseParser();
        const events = [0, ...at].flatMap((from, i) => parser.push(body.slice(from, [...at, body.length][i])));
        expect([...events, ...parser.end()]).toEqual(parseSse(body));
      }),
    );
  });

  it("chunks text into pieces that join back, without splitting code points", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 20 }), (text, size) => {
        const pieces = chunkText(text, size);
        expect(pieces.join("")).toBe(text);
        for (const p of pieces) expect(Array.from(p).length).toBeLessThanOrEqual(size);
      }),
    );
  });
});
