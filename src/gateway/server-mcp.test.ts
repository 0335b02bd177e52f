// MCP tools through the real gateway over HTTP: real MCP servers (a stdio child, a streamable-HTTP
// server) behind the hub, history in the machine's PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory, type History } from "../history/index.ts";
import { createTestDatabase, type TestDatabase } from "../history/test-database.ts";
import { createCredentialRegistry, type ExecutionGrant } from "./credentials.ts";
import { createMcpHub, type McpHub } from "./mcp/index.ts";
import { startHttpMcpServer, type HttpMcpServer } from "./mcp/test-mcp-http.ts";
import { STDIO_FIXTURE } from "./mcp/test-mcp-tools.ts";
import { createModelResolver } from "./resolve.ts";
import { startGateway, type Gateway } from "./server.ts";

const logLines: string[] = [];
let db: TestDatabase;
let history: History;
let home: string;
let mcpHttp: HttpMcpServer;
let hub: McpHub;
let gateway: Gateway;
const credentials = createCredentialRegistry();

function grant(execution: string, agentTools: string[]): ExecutionGrant {
  return {
    token: `tok-${execution}-0123456789abcdef`, namespace: "team-a", execution, uid: `00000000-0000-4000-8000-${execution.padStart(12, "0").slice(-12)}`,
    iteration: 1, model: "smart", agentTools, payload: { systemPrompt: "s", task: "t", tools: [{ name: "fs.read", description: "Reads a file." }] },
  };
}

async function call(g: ExecutionGrant, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${gateway.url}${path}`, {
    method, headers: { authorization: `Bearer ${g.token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), "gateway-mcp-test-"));
  const log = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  history = await openHistory({ databaseUrl: db.url, home, log });
  mcpHttp = await startHttpMcpServer();
  const down = await startHttpMcpServer();
  await down.stop();
  hub = createMcpHub({
    servers: () => [{ name: "local", command: STDIO_FIXTURE }, { name: "remote", url: mcpHttp.url }, { name: "down", url: down.url }],
    log, retryAfterMs: 0,
  });
  const resolver = createModelResolver({ nodeConfigs: () => [], readSecret: () => Promise.resolve(undefined) });
  gateway = await startGateway({ port: 0, history: history.store, resolver, credentials, log, warmupMs: 0, mcp: hub });
});

afterAll(async () => {
  await gateway.stop();
  await hub.stop();
  await mcpHttp.stop();
  await history.close();
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

describe("gateway with MCP servers", () => {
  it("lists the payload's tools and the MCP tools the agent's patterns allow, skipping a server that is down", async () => {
    const g = grant("list", ["fs.read", "mcp:local", "mcp:remote.echo", "mcp:down"]);
    credentials.register(g);
    const answer = await call(g, "GET", "/v1/iteration");
    expect(answer.status).toBe(200);
    const tools = answer.json["tools"] as { name: string; parameters?: unknown }[];
    expect(tools.map((t) => t.name)).toEqual(["fs.read", "mcp:local.echo", "mcp:local.add", "mcp:local.fail", "mcp:local.env", "mcp:local.hang", "mcp:local.exit", "mcp:remote.echo"]);
    expect(tools.find((t) => t.name === "mcp:local.add")?.parameters).toMatchObject({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } } });
    expect(logLines.some((l) => l.includes("Could not connect to MCP server") && l.includes('"down"'))).toBe(true);
    expect((await call(grant("none", ["fs.*"]), "GET", "/v1/iteration")).status).toBe(401);
    const plain = grant("plain", ["fs.*"]);
    credentials.register(plain);
    expect(((await call(plain, "GET", "/v1/iteration")).json["tools"] as { name: string }[]).map((t) => t.name)).toEqual(["fs.read"]);
  });

  it("runs an allowed MCP call in the gateway, answers its result and records it at once", async () => {
    const g = grant("calls", ["mcp:local", "mcp:remote.echo", "mcp:down"]);
    credentials.register(g);
    expect((await call(g, "POST", "/v1/tool-calls", { seq: 1, name: "mcp:remote.echo", arguments: { text: "hi" } })).json)
      .toEqual({ decision: "allow", result: { ok: true, content: "echo: hi" } });
    expect((await call(g, "POST", "/v1/tool-calls", { seq: 2, name: "mcp:local.fail", arguments: {} })).json)
      .toEqual({ decision: "allow", result: { ok: false, error: "the fail tool failed on purpose" } });
    const down = await call(g, "POST", "/v1/tool-calls", { seq: 3, name: "mcp:down.echo", arguments: { text: "x" } });
    expect(down).toMatchObject({ status: 200, json: { decision: "allow", result: { ok: false, error: expect.stringContaining('MCP server "down" failed') } } });
    expect((await call(g, "POST", "/v1/tool-calls", { seq: 4, name: "mcp:local.add", arguments: [1, 2] })).json)
      .toEqual({ decision: "allow", result: { ok: false, error: "arguments of an MCP tool must be a JSON object" } });
    const calls = await history.store.toolCallsOf(g.uid, 1);
    expect(calls.map((c) => [c.seq, c.toolName, c.decision, c.resultSummary, c.error])).toEqual([
      [1, "mcp:remote.echo", "allow", "echo: hi", null],
      [2, "mcp:local.fail", "allow", null, "the fail tool failed on purpose"],
      [3, "mcp:down.echo", "allow", null, expect.stringContaining("failed")],
      [4, "mcp:local.add", "allow", null, "arguments of an MCP tool must be a JSON object"],
    ]);
    expect(calls[0]?.arguments).toEqual({ text: "hi" });
    expect(calls.every((c) => typeof c.durationMs === "number" && c.durationMs >= 0)).toBe(true);
    // The gateway still serves after a server that is down.
    expect((await call(g, "GET", "/v1/iteration")).status).toBe(200);
  });

  it("denies an MCP tool the agent did not declare, records it, and never reaches the server", async () => {
    const g = grant("deny", ["mcp:remote.echo"]);
    credentials.register(g);
    const posts = mcpHttp.posts();
    expect((await call(g, "POST", "/v1/tool-calls", { seq: 1, name: "mcp:remote.add", arguments: { a: 1, b: 2 } })).json)
      .toMatchObject({ decision: "deny", code: "ToolNotAllowed" });
    expect(mcpHttp.posts()).toBe(posts);
    expect((await history.store.toolCallsOf(g.uid, 1)).map((c) => [c.toolName, c.decision])).toEqual([["mcp:remote.add", "deny"]]);
  });
});
