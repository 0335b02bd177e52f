// The inner loop end to end: the real scripted model server behind the test's fake gateway.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIteration } from "./run-iteration.ts";
import { silentLog, startHarness, type Harness } from "./test-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const run = (h: Harness, opts: { maxToolRounds?: number; iterationTimeoutMs?: number } = {}) =>
  runIteration({ gateway: h.client, tools: h.tools, workspace: h.workspace, maxToolRounds: opts.maxToolRounds ?? 50, iterationTimeoutMs: opts.iterationTimeoutMs ?? 30_000, log: silentLog });

/** The tool messages of the last model request, by tool_call_id order. */
const lastToolMessages = (h: Harness): { tool_call_id: string; content: string }[] => {
  const messages = (h.gateway.chatRequests.at(-1)?.messages ?? []) as { role: string; tool_call_id: string; content: string }[];
  return messages.filter((m) => m.role === "tool");
};

describe("runIteration against the scripted model through the fake gateway", () => {
  it("writes a file, runs a command, reports both results and posts the output", async () => {
    harness = await startHarness({
      models: {
        "agent-model": [
          { text: "Writing.", toolCalls: [{ name: "fs.write", arguments: { path: "out.txt", content: "hello" } }] },
          { match: { contains: "bytes" }, toolCalls: [{ name: "cmd.run", arguments: { command: "cat", args: ["out.txt"] } }] },
          { match: { contains: "hello" }, text: "Done: out.txt says hello." },
        ],
      },
    });
    const result = await run(harness);
    expect(result).toMatchObject({ exitCode: 0, reported: true, outcome: { reason: "stopped", rounds: 2, toolCalls: 2 } });
    expect(await readFile(path.join(harness.workspace, "out.txt"), "utf8")).toBe("hello");
    expect(harness.gateway.toolCalls).toEqual([
      { seq: 1, name: "fs.write", arguments: { path: "out.txt", content: "hello" } },
      { seq: 2, name: "cmd.run", arguments: { command: "cat", args: ["out.txt"] } },
    ]);
    expect(harness.gateway.results.map((r) => [r.seq, r.body.ok])).toEqual([[1, true], [2, true]]);
    expect(harness.gateway.results[1]?.body.content).toMatchObject({ exitCode: 0, stdout: "hello" });
    expect(harness.gateway.outputs).toEqual([{ output: "Done: out.txt says hello.", exitCode: 0 }]);
    const first = harness.gateway.chatRequests[0] as { messages: { role: string; content: string }[]; tools: unknown[] };
    expect(first.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(first.tools).toHaveLength(7);
    expect(harness.gateway.unauthorized).toBe(0);
  });

  it("answers an unknown tool and malformed JSON arguments with tool errors, and carries on", async () => {
    harness = await startHarness({
      models: {
        "agent-model": [
          { toolCalls: [{ name: "no.such.tool", arguments: { x: 1 } }, { name: "fs.write", rawArguments: '{"path": "a' }] },
          { text: "I see the errors." },
        ],
      },
    });
    const result = await run(harness);
    expect(result).toMatchObject({ exitCode: 0, outcome: { reason: "stopped", rounds: 1, toolCalls: 2 } });
    const [unknown, malformed] = lastToolMessages(harness);
    expect(JSON.parse(unknown?.content ?? "{}")).toMatchObject({ error: { code: "UnknownTool" } });
    expect(JSON.parse(malformed?.content ?? "{}")).toMatchObject({ error: { code: "InvalidArguments", message: expect.stringContaining("not valid JSON") } });
    // The unknown tool was asked and reported; the unparsable call never reached the gateway.
    expect(harness.gateway.toolCalls.map((c) => c.name)).toEqual(["no.such.tool"]);
    expect(harness.gateway.results).toEqual([{ seq: 1, body: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: "UnknownTool" }) }) }]);
    expect(harness.gateway.outputs).toEqual([{ output: "I see the errors.", exitCode: 0 }]);
  });

  it("tells the model about a denied call and does not run it", async () => {
    harness = await startHarness(
      {
        models: {
          "agent-model": [
            { toolCalls: [{ name: "fs.write", arguments: { path: "secret.txt", content: "x" } }] },
            { match: { contains: "denied" }, text: "Understood, not allowed." },
          ],
        },
      },
      { decide: (call) => (call.name === "fs.write" ? { decision: "deny", code: "PathNotAllowed", message: "secret.txt is not in pathAllowlist" } : { decision: "allow" }) },
    );
    const result = await run(harness);
    expect(result).toMatchObject({ exitCode: 0, outcome: { reason: "stopped" } });
    expect(JSON.parse(lastToolMessages(harness)[0]?.content ?? "{}")).toEqual({ error: { code: "PathNotAllowed", message: "denied: secret.txt is not in pathAllowlist" } });
    await expect(readFile(path.join(harness.workspace, "secret.txt"))).rejects.toThrow(/ENOENT/);
    expect(harness.gateway.results).toEqual([]);
  });

  it("stops at the tool round limit without another model turn (exit 3)", async () => {
    const listTurn = { toolCalls: [{ name: "fs.list", arguments: {} }] };
    harness = await startHarness({ models: { "agent-model": [listTurn, listTurn, listTurn, { text: "never" }] } });
    const result = await run(harness, { maxToolRounds: 2 });
    expect(result).toMatchObject({ exitCode: 3, outcome: { reason: "maxRounds", rounds: 2, toolCalls: 2 } });
    expect(harness.gateway.chatRequests).toHaveLength(2);
    expect(harness.gateway.outputs).toEqual([{ output: "", exitCode: 3 }]);
  });

  it("aborts a model turn in flight at the iteration timeout and reports what it has (exit 124)", async () => {
    harness = await startHarness({
      models: { "agent-model": [{ text: "Step one.", toolCalls: [{ name: "fs.list", arguments: {} }] }, { text: "too late", delayMs: 20_000 }] },
    });
    const started = Date.now();
    const result = await run(harness, { iterationTimeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ exitCode: 124, reported: true, outcome: { reason: "timeout", rounds: 1 } });
    expect(harness.gateway.outputs).toEqual([{ output: "Step one.", exitCode: 124 }]);
  });

  it("fails (exit 1) when the gateway refuses the token, and still tries to post", async () => {
    harness = await startHarness({ models: { "agent-model": [{ text: "x" }] } });
    const { createGatewayClient } = await import("./gateway-client.ts");
    const result = await runIteration({ gateway: createGatewayClient({ baseUrl: harness.gateway.url, token: "wrong" }), tools: harness.tools, workspace: harness.workspace, maxToolRounds: 5, iterationTimeoutMs: 5000, log: silentLog });
    expect(result).toMatchObject({ exitCode: 1, reported: false, outcome: { reason: "failed", error: expect.stringContaining("401") } });
  });
});
