// The gateway's MCP client side: one lazy connection per configured server (stdio child or
// streamable HTTP), its tools/list cached per connection, calls with a timeout. A connection that
// fails or closes is dropped and made again on the next use (not before `retryAfterMs` after a
// failed attempt, so a dead server does not slow every iteration start). Nothing here throws at
// the gateway: an unreachable server is logged and skipped, a failed call is { ok: false }.
import type { Logger } from "pino";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ToolSpec } from "../providers/types.ts";
import { toolAllowed } from "../tools.ts";
import { configKey, mcpTarget, type McpServerConfig } from "./config.ts";
import { connectMcp } from "./connect.ts";
import { mcpToolName, parseMcpToolName, patternsReachServer } from "./names.ts";
import { callOutcome, failureMessage, isConnectionFailure, type McpCallOutcome } from "./result.ts";

export interface McpHubOptions {
  /** The servers to serve now (read on every use: a NodeConfig edit takes effect on the next call). */
  readonly servers: () => readonly McpServerConfig[];
  readonly log: Logger;
  /** Where PATH for stdio servers comes from. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Limit of connecting (initialize) and of tools/list. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Limit of one tools/call. Default 60 s. */
  readonly callTimeoutMs?: number;
  /** After a failed connection attempt, the server is reported unavailable for this long. Default 5 s. */
  readonly retryAfterMs?: number;
}

export interface McpHub {
  /** The MCP tools the agent's spec.tools patterns allow, as `mcp:<server>.<tool>`. */
  specsFor(agentToolPatterns: readonly string[]): Promise<ToolSpec[]>;
  /** Runs `mcp:<server>.<tool>`; never throws. */
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome>;
  /** Closes every connection (stdio children end); later calls fail. */
  stop(): Promise<void>;
}

interface Link {
  readonly key: string;
  client?: Promise<Client>;
  tools?: Promise<ToolSpec[]>;
  failedAt?: number;
  failure?: string;
}

/** A recent failed attempt, answered without trying again (already logged). */
class Unavailable extends Error {}

const MAX_PAGES = 50;

export function createMcpHub(o: McpHubOptions): McpHub {
  const connectTimeoutMs = o.connectTimeoutMs ?? 10_000;
  const callTimeoutMs = o.callTimeoutMs ?? 60_000;
  const retryAfterMs = o.retryAfterMs ?? 5_000;
  const links = new Map<string, Link>();
  let stopped = false;

  function close(link: Link): void {
    const client = link.client;
    link.client = undefined;
    link.tools = undefined;
    void client?.then((c) => c.close()).catch(() => undefined);
  }

  /** The configured servers; links of removed or edited servers are closed. */
  function current(): readonly McpServerConfig[] {
    const configs = stopped ? [] : o.servers().filter((c) => c.enabled !== false);
    const wanted = new Map(configs.map((c) => [c.name, configKey(c)]));
    for (const [name, link] of links) {
      if (wanted.get(name) !== link.key) {
        close(link);
        links.delete(name);
      }
    }
    return configs;
  }

  function clientOf(config: McpServerConfig): Promise<Client> {
    let link = links.get(config.name);
    if (link === undefined) links.set(config.name, (link = { key: configKey(config) }));
    if (link.client !== undefined) return link.client;
    if (link.failedAt !== undefined && performance.now() - link.failedAt < retryAfterMs) return Promise.reject(new Unavailable(link.failure));
    const target = mcpTarget(config, (o.env ?? process.env)["PATH"]);
    if (target.kind === "unsupported") return Promise.reject(new Error(target.reason));
    if (target.kind === "stdio" && target.skippedEnv.length > 0) {
      o.log.warn({ mcpServer: config.name, variables: target.skippedEnv }, "MCP server env from valueFrom is not supported yet; left out");
    }
    const self = link;
    const attempt: Promise<Client> = connectMcp({
      server: config.name, target, log: o.log, timeoutMs: connectTimeoutMs,
      // Only this connection's own end drops it (a newer one may have replaced it).
      onClose: () => { if (self.client === attempt) close(self); },
    }).then((client) => {
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => { if (self.client === attempt) self.tools = undefined; });
      self.failedAt = undefined;
      o.log.info({ mcpServer: config.name, transport: target.kind }, "Connected to MCP server");
      return client;
    }, (error: unknown) => {
      if (self.client === attempt) self.client = undefined;
      self.failedAt = performance.now();
      self.failure = failureMessage(config.name, error, connectTimeoutMs);
      o.log.warn({ mcpServer: config.name, error: self.failure }, "Could not connect to MCP server");
      throw new Unavailable(self.failure);
    });
    link.client = attempt;
    return attempt;
  }

  async function listTools(server: string, client: Client): Promise<ToolSpec[]> {
    const specs: ToolSpec[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: connectTimeoutMs });
      for (const t of answer.tools) specs.push({ name: mcpToolName(server, t.name), ...(t.description === undefined ? {} : { description: t.description }), parameters: t.inputSchema });
      cursor = answer.nextCursor;
      if (cursor === undefined) break;
    }
    return specs;
  }

  async function toolsOf(config: McpServerConfig): Promise<ToolSpec[]> {
    const client = await clientOf(config);
    const link = links.get(config.name);
    if (link === undefined) return [];
    if (link.tools === undefined) {
      const listing = listTools(config.name, client);
      link.tools = listing;
      listing.catch((error: unknown) => {
        if (link.tools === listing) link.tools = undefined;
        if (isConnectionFailure(error) && link.client !== undefined) close(link);
      });
    }
    return link.tools;
  }

  return {
    async specsFor(patterns) {
      const servers = current().filter((c) => patternsReachServer(c.name, patterns));
      const lists = await Promise.all(servers.map((c) => toolsOf(c).catch((error: unknown) => {
        if (!(error instanceof Unavailable)) o.log.warn({ mcpServer: c.name, error: failureMessage(c.name, error, connectTimeoutMs) }, "Could not list the tools of MCP server; skipped");
        return [];
      })));
      return lists.flat().filter((spec) => toolAllowed(spec.name, patterns));
    },

    async call(name, args, signal) {
      const parsed = parseMcpToolName(name);
      if (parsed === undefined) return { ok: false, error: `"${name}" is not an MCP tool name (mcp:<server>.<tool>)` };
      const config = current().find((c) => c.name === parsed.server);
      if (config === undefined) return { ok: false, error: `no MCP server "${parsed.server}" is configured on the orchestrator` };
      let client: Client;
      try {
        client = await clientOf(config);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: error instanceof Unavailable ? `${message} (unavailable; retried on a later call)` : message };
      }
      try {
        return callOutcome(await client.callTool({ name: parsed.tool, arguments: args }, undefined, { signal, timeout: callTimeoutMs }));
      } catch (error) {
        const link = links.get(config.name);
        if (isConnectionFailure(error) && link !== undefined && !signal.aborted) close(link);
        return { ok: false, error: failureMessage(config.name, error, callTimeoutMs) };
      }
    },

    async stop() {
      stopped = true;
      const clients = [...links.values()].map((l) => l.client);
      links.clear();
      await Promise.all(clients.map((c) => c?.then((client) => client.close()).catch(() => undefined)));
    },
  };
}
