import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolContext } from "./context.ts";
import { createToolRegistry, defineTool } from "./registry.ts";
import { success } from "./result.ts";

const echo = defineTool({
  name: "t.echo",
  description: "Echoes.",
  args: z.object({ text: z.string(), times: z.number().int().min(1).optional() }).strict(),
  execute: async ({ text, times = 1 }) => success({ text: text.repeat(times) }),
});
const boom = defineTool({ name: "t.boom", description: "Throws.", args: z.object({}), execute: async () => { throw new Error("kaput"); } });
const hang = defineTool({
  name: "t.hang",
  description: "Waits for its signal.",
  args: z.object({}),
  execute: (_args, ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(success({ stopped: true })))),
});

const registry = createToolRegistry([echo, boom, hang]);
const ctx = createToolContext({ workspaceRoot: "/nonexistent", limits: { timeoutMs: 50, killGraceMs: 0 } });

describe("registry.invoke", () => {
  it.each([
    ["t.echo", { text: "ab", times: 2 }, { ok: true, content: { text: "abab" } }],
    ["t.echo", { text: 1 }, { ok: false, error: { code: "InvalidArguments", message: expect.stringContaining("text:") } }],
    ["t.echo", { text: "a", times: 0 }, { ok: false, error: { code: "InvalidArguments", message: expect.stringContaining("times:") } }],
    ["t.echo", { text: "a", other: 1 }, { ok: false, error: { code: "InvalidArguments" } }],
    ["t.echo", undefined, { ok: false, error: { code: "InvalidArguments", message: expect.stringContaining("arguments:") } }],
    ["t.boom", {}, { ok: false, error: { code: "Internal", message: expect.stringContaining("kaput") } }],
    ["t.none", {}, { ok: false, error: { code: "UnknownTool" } }],
  ])("%s %j", async (name, args, expected) => {
    expect(await registry.invoke(name, args, ctx)).toMatchObject(expected);
  });

  it("answers ToolTimedOut past the deadline and aborts the tool's signal", async () => {
    expect(await registry.invoke("t.hang", {}, ctx)).toMatchObject({ ok: false, error: { code: "ToolTimedOut" } });
  });

  it("refuses to start a call whose signal is already aborted", async () => {
    const c = new AbortController();
    c.abort();
    expect(await registry.invoke("t.echo", { text: "a" }, { ...ctx, signal: c.signal })).toMatchObject({ ok: false, error: { code: "Aborted" } });
  });

  it("refuses duplicate names", () => expect(() => createToolRegistry([echo, echo])).toThrow(/duplicate/));
});
