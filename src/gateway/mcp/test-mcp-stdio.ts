// TEST HELPER ONLY: a stdio MCP server program (`node test-mcp-stdio.ts`), the fixture tools
// plus `exit`, which ends the process as a crash would.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createFixtureServer } from "./test-mcp-tools.ts";

const server = createFixtureServer("fixture-stdio", () => process.exit(3));
await server.connect(new StdioServerTransport());
