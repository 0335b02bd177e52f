// TEST HELPER ONLY: the tools of the fixture MCP servers (stdio program and in-process HTTP),
// written with the official SDK as a real server is.
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

/** The `command` of a NodeConfig mcpServers entry that runs the stdio fixture. */
export const STDIO_FIXTURE = [process.execPath, fileURLToPath(new URL("./test-mcp-stdio.ts", import.meta.url))];

export function createFixtureServer(name: string, onExit?: () => void): McpServer {
  const server = new McpServer({ name, version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes the text back.", inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: "text", text: `echo: ${text}` }],
  }));
  server.registerTool("add", { description: "Adds two numbers.", inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  server.registerTool("fail", { description: "Always reports an error." }, () => ({
    isError: true, content: [{ type: "text", text: "the fail tool failed on purpose" }],
  }));
  server.registerTool("env", { description: "Names the variables of the server's environment." }, () => ({
    content: [{ type: "text", text: JSON.stringify({ pid: process.pid, names: Object.keys(process.env).sort(), greeting: process.env["FIXTURE_GREETING"] ?? null }) }],
  }));
  // Never answers: the caller's timeout must end the call.
  server.registerTool("hang", { description: "Never answers." }, () => new Promise(() => undefined));
  if (onExit !== undefined) {
    // Ends the process before answering, as a crash does: the pending call sees the connection close.
    server.registerTool("exit", { description: "Ends the server process (a crash)." }, () => {
      onExit();
      return new Promise(() => undefined);
    });
  }
  return server;
}
