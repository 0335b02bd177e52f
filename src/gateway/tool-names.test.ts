import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatRequest } from "./providers/types.ts";
import { decodeResultToolNames, encodeRequestToolNames, toolNameTable } from "./tool-name-table.ts";
import { decodeToolName, encodeToolName, providerToolName, shortenedToolName, TOOL_NAME_PATTERN } from "./tool-names.ts";

// Names as agents write them, plus anything at all (any UTF-16 units, lone surrogates included).
const toolish = fc.stringMatching(/^[a-z:_.-]{0,80}$/);
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
const anyName = fc.oneof(toolish, fc.string({ unit: utf16Unit, maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 30 }));

describe("tool name codec", () => {
  it.each([
    ["fs.write", "fs--write"],
    ["cmd.run", "cmd--run"],
    ["read_file", "read_file"],
    ["my-tool", "my-_tool"],
    ["mcp:github.get_file", "mcp-3a_github--get_file"],
  ])("encodes %s as %s", (name, wire) => {
    expect(encodeToolName(name)).toBe(wire);
    expect(decodeToolName(wire)).toBe(name);
  });

  it("decode(encode(x)) = x for any string", () => {
    fc.assert(fc.property(anyName, (name) => decodeToolName(encodeToolName(name)) === name));
  });

  it("the provider name always matches ^[a-zA-Z0-9_-]{1,64}$", () => {
    fc.assert(fc.property(anyName, (name) => TOOL_NAME_PATTERN.test(providerToolName(name))));
  });

  it("distinct names get distinct provider names", () => {
    fc.assert(fc.property(anyName, anyName, (a, b) => a === b || providerToolName(a) !== providerToolName(b)));
    // Near-collisions the naive "." → "_" mapping would merge.
    const close = ["a.b", "a_b", "a-b", "a__b", "a--b", "a-_b", "a._b", "a_.b", "a:b", "a-3a_b"];
    expect(new Set(close.map(providerToolName)).size).toBe(close.length);
  });

  it("rejects what encode never produces: no escape, upper-case or padded hex, a kept character escaped", () => {
    for (const wire of ["a-", "a-x", "a-3A_", "a-03a_", "a-61_", "a-2e_", "a-3a", "fs.write", "a-hdeadbeef"]) expect(decodeToolName(wire)).toBeUndefined();
  });

  it("shortens names whose code is over 64 or empty, deterministically, keeping a readable head", () => {
    const long = `mcp:${"very_long_server_name.".repeat(4)}tool`;
    const short = providerToolName(long);
    expect(short).toHaveLength(64);
    expect(short.startsWith("mcp-3a_very_long_server_name--very")).toBe(true);
    expect(short).toBe(shortenedToolName(long));
    expect(decodeToolName(short)).toBeUndefined();
    expect(providerToolName("")).toMatch(/^-h[0-9a-f]{16}$/);
    // A name whose code is exactly 64 characters is not shortened.
    expect(providerToolName("x".repeat(64))).toBe("x".repeat(64));
    expect(providerToolName("x".repeat(65))).not.toBe("x".repeat(65));
  });
});

describe("a request's tool name table", () => {
  it("maps every name of the request back, shortened ones included", () => {
    fc.assert(fc.property(fc.uniqueArray(anyName, { maxLength: 8 }), (names) => {
      const table = toolNameTable(names);
      for (const n of names) expect(table.fromWire(table.toWire(n))).toBe(n);
    }));
  });

  it("keeps a name the model invented that is no code", () => {
    expect(toolNameTable([]).fromWire("fs.write")).toBe("fs.write");
    expect(toolNameTable([]).fromWire("fs--write")).toBe("fs.write");
  });

  it("encodes tools, assistant tool calls and tool_choice, and decodes the answer", () => {
    const long = `mcp:${"x".repeat(70)}`;
    const req: ChatRequest = {
      model: "m",
      tools: [{ name: "fs.write" }, { name: long }],
      toolChoice: { name: long },
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "cmd.run", arguments: "{}" }] },
        { role: "tool", content: "ok", toolCallId: "c1" },
      ],
    };
    const { request, table } = encodeRequestToolNames(req);
    const wire = providerToolName(long);
    expect(request.tools.map((t) => t.name)).toEqual(["fs--write", wire]);
    expect(request.toolChoice).toEqual({ name: wire });
    expect(request.messages[1]?.toolCalls?.[0]?.name).toBe("cmd--run");
    expect(request.messages[0]).toBe(req.messages[0]);
    const answer = decodeResultToolNames(
      { text: undefined, finish: "tool_calls", usage: { input: 1, output: 1 }, toolCalls: [{ id: "a", name: wire, arguments: "{}" }, { id: "b", name: "fs--write", arguments: "{}" }] },
      table,
    );
    expect(answer.toolCalls.map((c) => c.name)).toEqual([long, "fs.write"]);
  });
});
