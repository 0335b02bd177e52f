// fast-check: whatever the model answers (garbage tool calls, non-completions), the loop ends with
// an outcome and never throws.
import { mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayClient } from "./gateway-client.ts";
import { runAgentLoop } from "./loop.ts";
import { silentLog } from "./test-harness.ts";
import { createBuiltinRegistry } from "./tools/index.ts";

let workspace = "";
beforeAll(async () => {
  workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), "aegis-loop-prop-")));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const toolName = fc.oneof(fc.constantFrom("fs.list", "fs.read", "fs.create_dir", "nope", ""), fc.string(), fc.anything());
const argumentsValue = fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"path": "a', "[]", "null", '{"path":"../x"}', '{"path":"d"}'), fc.anything());
const toolCall = fc.oneof(
  fc.record({ id: fc.oneof(fc.string(), fc.anything()), type: fc.constant("function"), function: fc.record({ name: toolName, arguments: argumentsValue }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  fc.anything(),
);
const completion = fc.oneof(
  fc.record({
    choices: fc.array(
      fc.record({ finish_reason: fc.oneof(fc.string(), fc.constant(null)), message: fc.record({ content: fc.oneof(fc.string(), fc.constant(null), fc.anything()), tool_calls: fc.oneof(fc.array(toolCall, { maxLength: 3 }), fc.anything()) }, { requiredKeys: [] }) }, { requiredKeys: ["message"] }),
      { maxLength: 2 },
    ),
  }),
  fc.anything(),
);

function scriptedGateway(answers: unknown[]): GatewayClient {
  let turn = 0;
  return {
    iteration: () => Promise.resolve({ execution: "e", namespace: "n", iteration: 1, model: "m", systemPrompt: "s", task: "t", tools: [] }),
    chat: () => Promise.resolve(answers[turn++] ?? { choices: [{ finish_reason: "stop", message: { content: "end" } }] }),
    askToolCall: (call) => Promise.resolve(call.seq % 3 === 0 ? { decision: "deny", code: "Denied", message: "no" } : { decision: "allow" }),
    reportToolResult: () => Promise.resolve(),
    postOutput: () => Promise.resolve(),
  };
}

describe("runAgentLoop with arbitrary model answers", () => {
  it("always ends with an outcome and never throws", async () => {
    const tools = createBuiltinRegistry();
    await fc.assert(
      fc.asyncProperty(fc.array(completion, { minLength: 1, maxLength: 4 }), async (answers) => {
        const outcome = await runAgentLoop({ gateway: scriptedGateway(answers), tools, workspace, maxToolRounds: 3, signal: new AbortController().signal, log: silentLog });
        expect(["stopped", "maxRounds", "failed"]).toContain(outcome.reason);
        expect(outcome.rounds).toBeLessThanOrEqual(3);
        expect(typeof outcome.output).toBe("string");
        if (outcome.reason === "failed") expect(outcome.error).toMatch(/not a chat completion/);
      }),
      { numRuns: 150 },
    );
  });
});
