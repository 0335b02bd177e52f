// The pure parts of the MCP hub: names, server configs, results.
import fc from "fast-check";
import { McpError, ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { toolAllowed } from "../tools.ts";
import { mcpServersOf, mcpTarget, serverEnv } from "./config.ts";
import { mcpToolName, parseMcpToolName, patternsReachServer } from "./names.ts";
import { callOutcome, failureMessage, isConnectionFailure } from "./result.ts";

const serverName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const toolName = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);

describe("MCP tool names", () => {
  it("parse back what they encode; tools may contain dots", () => {
    fc.assert(fc.property(serverName, toolName, (server, tool) => {
      expect(parseMcpToolName(mcpToolName(server, tool))).toEqual({ server, tool });
    }));
    expect(parseMcpToolName("mcp:github.repos.get")).toEqual({ server: "github", tool: "repos.get" });
    for (const bad of ["fs.read", "mcp:github", "mcp:.x", "mcp:github.", "github.x"]) expect(parseMcpToolName(bad)).toBeUndefined();
  });

  it("a server is reached exactly when some tool of it could be allowed", () => {
    fc.assert(fc.property(serverName, toolName, fc.array(fc.oneof(fc.constantFrom("mcp:a", "mcp:a.*", "mcp:*", "fs.*", "mcp:ab.x"), fc.string())), (server, tool, patterns) => {
      if (toolAllowed(mcpToolName(server, tool), patterns)) expect(patternsReachServer(server, patterns)).toBe(true);
    }));
    expect(patternsReachServer("a", ["mcp:ab", "mcp:ab.x", "fs.*", "mcp:abc.*"])).toBe(false);
    expect(patternsReachServer("a", ["mcp:a.x"])).toBe(true);
    expect(patternsReachServer("a", ["mcp:a.*"])).toBe(true);
  });
});

describe("MCP server configs", () => {
  it("serves the enabled servers of Orchestrator and Hybrid NodeConfigs, first NodeConfig by name wins", () => {
    const servers = mcpServersOf([
      { metadata: { name: "b" }, spec: { type: "Hybrid", mcpServers: [{ name: "gh", url: "http://b" }, { name: "off", command: ["x"], enabled: false }] } },
      { metadata: { name: "a" }, spec: { type: "Orchestrator", mcpServers: [{ name: "gh", url: "http://a" }] } },
      { metadata: { name: "c" }, spec: { type: "Edge", mcpServers: [{ name: "edge", command: ["x"] }] } },
    ]);
    expect(servers).toEqual([{ name: "gh", url: "http://a" }]);
  });

  it("runs the command with PATH and literal values ($(VAR) expanded), names what it left out", () => {
    expect(serverEnv([{ name: "A", value: "1" }, { name: "B", value: "$(A)-$(NOPE)" }, { name: "S", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }, { name: "E" }], "/bin"))
      .toEqual({ env: { PATH: "/bin", A: "1", B: "1-$(NOPE)", E: "" }, skipped: ["S"] });
    expect(mcpTarget({ name: "x", command: ["npx", "-y", "srv"], url: "http://u" }, undefined)).toEqual({ kind: "stdio", command: "npx", args: ["-y", "srv"], env: {}, skippedEnv: [] });
  });

  it("connects to an http(s) url; refuses other schemes and an image alone", () => {
    expect(mcpTarget({ name: "x", url: "https://mcp.example.com/mcp" }, undefined)).toEqual({ kind: "http", url: new URL("https://mcp.example.com/mcp") });
    expect(mcpTarget({ name: "x", url: "ftp://h/mcp" }, undefined)).toMatchObject({ kind: "unsupported", reason: expect.stringContaining("not http(s)") });
    expect(mcpTarget({ name: "x", url: "::" }, undefined)).toMatchObject({ kind: "unsupported", reason: expect.stringContaining("not a URL") });
    expect(mcpTarget({ name: "x", image: "i:1" }, undefined)).toMatchObject({ kind: "unsupported", reason: expect.stringContaining("image") });
    expect(mcpTarget({ name: "x", command: [] }, undefined)).toMatchObject({ kind: "unsupported" });
  });
});

describe("MCP results", () => {
  it("joins text blocks, summarises binary ones, prefers structured content only without blocks", () => {
    expect(callOutcome({ content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] })).toEqual({ ok: true, content: "a\nb" });
    expect(callOutcome({ content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] })).toEqual({ ok: true, content: "[image image/png, 3 bytes, not shown]" });
    expect(callOutcome({ content: [{ type: "resource", resource: { uri: "file:///a", text: "body" } }, { type: "resource_link", uri: "file:///b" }] })).toEqual({ ok: true, content: "body\n[resource file:///b]" });
    expect(callOutcome({ content: [], structuredContent: { n: 1 } })).toEqual({ ok: true, content: { n: 1 } });
    expect(callOutcome({ toolResult: { legacy: true } })).toEqual({ ok: true, content: { legacy: true } });
  });

  it("turns isError and malformed answers into errors with a message", () => {
    expect(callOutcome({ isError: true, content: [{ type: "text", text: "no such repo" }] })).toEqual({ ok: false, error: "no such repo" });
    expect(callOutcome({ isError: true, content: [] })).toEqual({ ok: false, error: "the MCP tool reported an error without a message" });
    fc.assert(fc.property(fc.anything(), (v) => {
      const out = callOutcome(v);
      expect(out.ok ? "content" in out : typeof out.error === "string").toBe(true);
    }));
  });

  it("names timeouts, and only a protocol refusal keeps the connection", () => {
    expect(failureMessage("gh", new McpError(ErrorCode.RequestTimeout, "t"), 500)).toBe('MCP server "gh" did not answer within 500 ms');
    expect(failureMessage("gh", new TypeError("fetch failed", { cause: new Error("ECONNREFUSED") }), 500)).toBe('MCP server "gh" failed: fetch failed (ECONNREFUSED)');
    expect(isConnectionFailure(new McpError(ErrorCode.InvalidParams, "bad"))).toBe(false);
    expect(isConnectionFailure(new McpError(ErrorCode.ConnectionClosed, "closed"))).toBe(true);
    expect(isConnectionFailure(new TypeError("fetch failed"))).toBe(true);
  });
});
