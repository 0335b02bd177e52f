// The hub against real MCP servers written with the SDK: a stdio child and a streamable-HTTP server.
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { McpServerConfig } from "./config.ts";
import { createMcpHub, type McpHub } from "./hub.ts";
import { startHttpMcpServer, type HttpMcpServer } from "./test-mcp-http.ts";
import { STDIO_FIXTURE } from "./test-mcp-tools.ts";

const logLines: string[] = [];
const log = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
const signal = new AbortController().signal;
let http: HttpMcpServer;
let hub: McpHub | undefined;
let servers: McpServerConfig[] = [];

const hubWith = (configs: McpServerConfig[], options: { callTimeoutMs?: number; retryAfterMs?: number } = {}): McpHub => {
  servers = configs;
  hub = createMcpHub({ servers: () => servers, log, env: { PATH: process.env["PATH"] }, retryAfterMs: 0, ...options });
  return hub;
};
const local = (): McpServerConfig => ({ name: "local", command: STDIO_FIXTURE, env: [{ name: "WHO", value: "tests" }, { name: "FIXTURE_GREETING", value: "hello $(WHO)" }] });

beforeAll(async () => {
  http = await startHttpMcpServer();
});
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});
afterAll(async () => {
  await http.stop();
});

describe("MCP hub", () => {
  it("lists only the tools the patterns allow, as mcp:<server>.<tool>, and connects to no other server", async () => {
    const h = hubWith([local(), { name: "remote", url: http.url }]);
    const specs = await h.specsFor(["fs.*", "mcp:local", "mcp:remote.echo"]);
    expect(specs.map((s) => s.name).sort()).toEqual(["mcp:local.add", "mcp:local.echo", "mcp:local.env", "mcp:local.exit", "mcp:local.fail", "mcp:local.hang", "mcp:remote.echo"]);
    expect(specs.find((s) => s.name === "mcp:remote.echo")).toMatchObject({ description: "Echoes the text back.", parameters: { type: "object", properties: { text: { type: "string" } } } });
    const posts = http.posts();
    expect(await h.specsFor(["fs.*", "mcp:local.add"])).toEqual([expect.objectContaining({ name: "mcp:local.add" })]);
    expect(http.posts()).toBe(posts);
  });

  it("calls tools on both transports; isError becomes ok: false with the tool's text", async () => {
    const h = hubWith([local(), { name: "remote", url: http.url }]);
    expect(await h.call("mcp:local.echo", { text: "a" }, signal)).toEqual({ ok: true, content: "echo: a" });
    expect(await h.call("mcp:remote.add", { a: 2, b: 3 }, signal)).toEqual({ ok: true, content: "5" });
    expect(await h.call("mcp:remote.fail", {}, signal)).toEqual({ ok: false, error: "the fail tool failed on purpose" });
    expect(await h.call("mcp:remote.nope", {}, signal)).toMatchObject({ ok: false, error: expect.stringContaining("nope") });
    expect(await h.call("mcp:other.echo", {}, signal)).toEqual({ ok: false, error: 'no MCP server "other" is configured on the orchestrator' });
    expect(await h.call("fs.read", {}, signal)).toMatchObject({ ok: false, error: expect.stringContaining("not an MCP tool name") });
  });

  it("gives a stdio server PATH and its literal env only, never the operator's environment", async () => {
    process.env["AEGIS_TEST_OPERATOR_ONLY"] = "not for servers";
    try {
      const h = hubWith([{ ...local(), env: [...(local().env ?? []), { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }]);
      const answer = await h.call("mcp:local.env", {}, signal);
      const seen = JSON.parse(String(answer.ok ? answer.content : answer.error)) as { names: string[]; greeting: string };
      expect(seen.greeting).toBe("hello tests");
      expect(seen.names).toContain("PATH");
      expect(seen.names).not.toContain("AEGIS_TEST_OPERATOR_ONLY");
      expect(seen.names).not.toContain("FROM_SECRET");
      expect(logLines.some((l) => l.includes("valueFrom is not supported yet") && l.includes("FROM_SECRET"))).toBe(true);
    } finally {
      delete process.env["AEGIS_TEST_OPERATOR_ONLY"];
    }
  });

  it("reconnects after the stdio server crashed, and ends the child on stop", async () => {
    const h = hubWith([local()]);
    const before = JSON.parse(String((await h.call("mcp:local.env", {}, signal) as { content: string }).content)) as { pid: number };
    expect(await h.call("mcp:local.exit", {}, signal)).toMatchObject({ ok: false, error: expect.stringMatching(/MCP server "local" failed: .*[Cc]onnection closed/) });
    const after = JSON.parse(String((await h.call("mcp:local.env", {}, signal) as { content: string }).content)) as { pid: number };
    expect(after.pid).not.toBe(before.pid);
    await h.stop();
    expect(() => process.kill(after.pid, 0)).toThrow(/ESRCH/);
    expect(await h.call("mcp:local.echo", { text: "x" }, signal)).toMatchObject({ ok: false });
  });

  it("ends a call that takes longer than the call timeout", async () => {
    const h = hubWith([{ name: "remote", url: http.url }], { callTimeoutMs: 300 });
    expect(await h.call("mcp:remote.hang", {}, signal)).toEqual({ ok: false, error: 'MCP server "remote" did not answer within 300 ms' });
    expect(await h.call("mcp:remote.echo", { text: "still here" }, signal)).toEqual({ ok: true, content: "echo: still here" });
  });

  it("skips a server that is down (logged, no throw), answers its calls with an error, and reconnects when it is back", async () => {
    const down = await startHttpMcpServer();
    const port = Number(new URL(down.url).port);
    await down.stop();
    const h = hubWith([local(), { name: "down", url: down.url }, { name: "missing", command: ["/nonexistent/mcp-server"] }, { name: "imaged", image: "ghcr.io/x/y:1" }]);
    const specs = await h.specsFor(["mcp:local.echo", "mcp:down", "mcp:missing", "mcp:imaged"]);
    expect(specs.map((s) => s.name)).toEqual(["mcp:local.echo"]);
    expect(logLines.filter((l) => l.includes("Could not connect to MCP server") && l.includes('"down"')).length).toBeGreaterThan(0);
    expect(await h.call("mcp:down.echo", { text: "x" }, signal)).toMatchObject({ ok: false, error: expect.stringContaining('MCP server "down" failed') });
    expect(await h.call("mcp:missing.echo", { text: "x" }, signal)).toMatchObject({ ok: false, error: expect.stringContaining("ENOENT") });
    expect(await h.call("mcp:imaged.echo", { text: "x" }, signal)).toMatchObject({ ok: false, error: expect.stringContaining("image is not supported yet") });
    const back = await startHttpMcpServer(port);
    try {
      expect(await h.call("mcp:down.echo", { text: "back" }, signal)).toEqual({ ok: true, content: "echo: back" });
    } finally {
      await back.stop();
    }
  });

  it("does not retry a failed server before retryAfterMs", async () => {
    const h = hubWith([{ name: "missing", command: ["/nonexistent/mcp-server-2"] }], { retryAfterMs: 60_000 });
    const attempts = () => logLines.filter((l) => l.includes("Could not connect to MCP server") && l.includes("mcp-server-2")).length;
    expect(await h.call("mcp:missing.echo", {}, signal)).toMatchObject({ ok: false });
    expect(await h.call("mcp:missing.echo", {}, signal)).toMatchObject({ ok: false, error: expect.stringContaining("unavailable; retried on a later call") });
    expect(await h.specsFor(["mcp:missing"])).toEqual([]);
    expect(attempts()).toBe(1);
  });

  it("reconnects when the server's config changes", async () => {
    const h = hubWith([local()]);
    const first = JSON.parse(String((await h.call("mcp:local.env", {}, signal) as { content: string }).content)) as { pid: number; greeting: string };
    servers = [{ ...local(), env: [{ name: "FIXTURE_GREETING", value: "edited" }] }];
    const second = JSON.parse(String((await h.call("mcp:local.env", {}, signal) as { content: string }).content)) as { pid: number; greeting: string };
    expect([second.greeting, second.pid === first.pid]).toEqual(["edited", false]);
  });
});
