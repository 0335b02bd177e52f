// The provider clients against the scripted model server, which rejects tool names outside
// ^[a-zA-Z0-9_-]{1,64}$ as the real APIs do: the agent's dotted names must be encoded on the way
// out and the model's answer decoded on the way back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModelServer, type ScriptedModelServer } from "../../model-server/server.ts";
import type { ChatRequest } from "./types.ts";
import { createProviderClient, type ProviderFlavour } from "./clients.ts";

let model: ScriptedModelServer;
beforeAll(async () => {
  // The model answers with the names it was given, i.e. the encoded ones.
  const turns = [{ toolCalls: [{ name: "fs--write", arguments: { path: "a" } }, { name: "mcp-3a_github--get_file", arguments: {} }] }];
  model = await startScriptedModelServer({ script: { models: { "gpt-x": turns, "claude-x": turns } } });
});
afterAll(async () => model.stop());

const request = (m: string): ChatRequest => ({
  model: m,
  tools: [{ name: "fs.write", parameters: { type: "object" } }, { name: "mcp:github.get_file" }],
  toolChoice: { name: "fs.write" },
  messages: [
    { role: "user", content: `first ${m}` },
    { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "cmd.run", arguments: "{}" }] },
    { role: "tool", content: "ok", toolCallId: "c1" },
  ],
});

describe.each([
  { flavour: "openai" as ProviderFlavour, m: "gpt-x", sent: (b: Record<string, unknown>) => [(b["tools"] as { function: { name: string } }[]).map((t) => t.function.name), b["tool_choice"]] },
  { flavour: "anthropic" as ProviderFlavour, m: "claude-x", sent: (b: Record<string, unknown>) => [(b["tools"] as { name: string }[]).map((t) => t.name), b["tool_choice"]] },
])("$flavour client", ({ flavour, m, sent }) => {
  it("sends provider-safe tool names and gives the agent's names back", async () => {
    const client = createProviderClient({ name: "p", flavour, endpoint: model.url, apiKey: undefined, timeoutMs: 5000, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const result = await client.chat(request(m));
    expect(result.toolCalls.map((c) => c.name)).toEqual(["fs.write", "mcp:github.get_file"]);
    const body = model.requests({ model: m }).at(-1)?.body as Record<string, unknown>;
    const [names, choice] = sent(body);
    expect(names).toEqual(["fs--write", "mcp-3a_github--get_file"]);
    expect(choice).toEqual(flavour === "openai" ? { type: "function", function: { name: "fs--write" } } : { type: "tool", name: "fs--write" });
    expect(JSON.stringify(body)).toContain("cmd--run");
  });
});
