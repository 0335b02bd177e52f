// The inner loop calling MCP tools end to end: the scripted model asks for them, the runtime asks
// the real gateway, the gateway runs them on real MCP servers (stdio and streamable HTTP) and the
// model reads the answers. History in the machine's PostgreSQL.
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredentialRegistry } from "../gateway/credentials.ts";
import { createMcpHub, type McpHub } from "../gateway/mcp/index.ts";
import { startHttpMcpServer, type HttpMcpServer } from "../gateway/mcp/test-mcp-http.ts";
import { STDIO_FIXTURE } from "../gateway/mcp/test-mcp-tools.ts";
import { createModelResolver } from "../gateway/resolve.ts";
import { startGateway, type Gateway } from "../gateway/server.ts";
import { openHistory, type History } from "../history/index.ts";
import { createTestDatabase, type TestDatabase } from "../history/test-database.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../model-server/index.ts";
import { createGatewayClient } from "./gateway-client.ts";
import { runIteration } from "./run-iteration.ts";
import { silentLog } from "./test-harness.ts";
import { createBuiltinRegistry } from "./tools/index.ts";

const KEY = "sk-loop-mcp-provider-key";
const TOKEN = "tok-loop-mcp-0123456789abcdef";
const UID = "00000000-0000-4000-8000-00000000c0de";
let db: TestDatabase;
let history: History;
let home: string;
let model: ScriptedModelServer;
let mcpHttp: HttpMcpServer;
let hub: McpHub;
let gateway: Gateway;
const credentials = createCredentialRegistry();

beforeAll(async () => {
  db = await createTestDatabase();
  home = await realpath(await mkdtemp(join(tmpdir(), "loop-mcp-test-")));
  history = await openHistory({ databaseUrl: db.url, home, log: silentLog });
  model = await startScriptedModelServer({ script: { models: { "*": [{ text: "unused" }] } }, apiKey: KEY });
  mcpHttp = await startHttpMcpServer();
  hub = createMcpHub({ servers: () => [{ name: "local", command: STDIO_FIXTURE }, { name: "remote", url: mcpHttp.url }], log: pino({ level: "silent" }) });
  const resolver = createModelResolver({
    nodeConfigs: () => [{ metadata: { name: "orchestrator" }, spec: { type: "Orchestrator", llmProviders: [
      { name: "scripted", type: "openai-compatible", endpoint: model.url, apiKeySecretRef: { namespace: "aegis-system", name: "keys", key: "k" }, models: [{ alias: "agent-model", model: "m" }] },
    ] } }],
    readSecret: () => Promise.resolve(KEY),
  });
  gateway = await startGateway({ port: 0, history: history.store, resolver, credentials, log: silentLog, warmupMs: 0, mcp: hub });
});

afterAll(async () => {
  await gateway.stop();
  await hub.stop();
  await mcpHttp.stop();
  await model.stop();
  await history.close();
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

describe("runIteration with MCP tools through the real gateway", () => {
  it("the model reads an MCP tool's content as the answer and an MCP error as a tool error; the pod reports nothing", async () => {
    model.load({ models: { m: [
      { toolCalls: [{ name: "mcp:local.add", arguments: { a: 2, b: 40 } }, { name: "mcp:remote.fail", arguments: {} }] },
      { match: { contains: "on purpose" }, text: "The sum is 42; fail failed." },
    ] } });
    credentials.register({
      token: TOKEN, namespace: "team-a", execution: "mcp-loop", uid: UID, iteration: 1, model: "agent-model",
      agentTools: ["mcp:local.add", "mcp:remote"], payload: { systemPrompt: "s", task: "add 2 and 40", tools: [] },
    });
    const result = await runIteration({
      gateway: createGatewayClient({ baseUrl: gateway.url, token: TOKEN }), tools: createBuiltinRegistry(), workspace: home, maxToolRounds: 5, iterationTimeoutMs: 30_000, log: silentLog,
    });
    expect(result).toMatchObject({ exitCode: 0, reported: true, outcome: { reason: "stopped", rounds: 1, toolCalls: 2 } });
    // The model was offered exactly the allowed MCP tools, and read the answers back.
    const requests = model.requests({ model: "m" }).map((r) => r.body as { tools?: { function: { name: string } }[]; messages: { role: string; content: string }[] });
    expect(requests[0]?.tools?.length).toBe(1 + 5);
    const toolMessages = requests[1]?.messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content) as unknown);
    expect(toolMessages).toEqual(["42", { error: { code: "ToolFailed", message: "the fail tool failed on purpose" } }]);
    // Recorded once, by the gateway, with the results.
    const calls = await history.store.toolCallsOf(UID, 1);
    expect(calls.map((c) => [c.seq, c.toolName, c.resultSummary, c.error])).toEqual([[1, "mcp:local.add", "42", null], [2, "mcp:remote.fail", null, "the fail tool failed on purpose"]]);
    expect(await gateway.metrics.registry.metrics()).not.toContain('route="/v1/tool-calls/{seq}/result"');
    const outputs = (await history.store.eventsOf(UID)).filter((e) => e.type === "IterationOutput").map((e) => e.payload);
    expect(outputs).toEqual([{ output: "The sum is 42; fail failed.", exitCode: 0 }]);
  });
});
