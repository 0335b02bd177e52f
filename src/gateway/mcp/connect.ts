// I/O: one MCP client connection (the SDK's Client) over stdio (a child process the gateway
// runs) or streamable HTTP. The child's stderr goes to the debug log, never to an agent.
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpTarget } from "./config.ts";

export interface ConnectOptions {
  readonly server: string;
  readonly target: Exclude<McpTarget, { kind: "unsupported" }>;
  readonly log: Logger;
  readonly timeoutMs: number;
  /** Called once when the connection ends (the process exited, the hub closed it). */
  readonly onClose: () => void;
}

const CLIENT_INFO = { name: "aegis-gateway", version: "0.1.0" };

export async function connectMcp(o: ConnectOptions): Promise<Client> {
  const transport = o.target.kind === "stdio"
    ? new StdioClientTransport({ command: o.target.command, args: o.target.args, env: o.target.env, stderr: "pipe" })
    : new StreamableHTTPClientTransport(o.target.url);
  if (transport instanceof StdioClientTransport) {
    (transport.stderr as Readable | null)?.on("data", (chunk: Buffer) => {
      o.log.debug({ mcpServer: o.server, stderr: chunk.toString("utf8").slice(0, 2000) }, "MCP server stderr");
    });
  }
  const client = new Client(CLIENT_INFO);
  client.onclose = o.onClose;
  client.onerror = (error) => o.log.debug({ mcpServer: o.server, err: error }, "MCP transport error");
  try {
    await client.connect(transport, { timeout: o.timeoutMs });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}
