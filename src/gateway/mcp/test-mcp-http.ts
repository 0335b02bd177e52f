// TEST HELPER ONLY: a streamable-HTTP MCP server in process (stateless: a fresh server and
// transport per request, as the SDK's stateless example does). `stop` makes it unreachable.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createFixtureServer } from "./test-mcp-tools.ts";

export interface HttpMcpServer {
  readonly url: string;
  /** POSTs received (each MCP message the client sent). */
  readonly posts: () => number;
  stop(): Promise<void>;
}

export async function startHttpMcpServer(port = 0): Promise<HttpMcpServer> {
  let posts = 0;
  const http: Server = createServer((req, res) => {
    if (req.method !== "POST") return void res.writeHead(405).end();
    posts += 1;
    const server = createFixtureServer("fixture-http");
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void transport.close().then(() => server.close()));
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const { port: bound } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    posts: () => posts,
    stop: () => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}
