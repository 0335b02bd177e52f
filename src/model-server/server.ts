// The scripted model server: node:http on 127.0.0.1, routing to the model APIs and the test endpoints.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleChat } from "./chat.ts";
import { BodyTooLarge, isAuthorized, readBody, sendJson } from "./http-io.ts";
import { createPlayer, type Player } from "./player.ts";
import { createRequestLog, type LoggedRequest, type RequestFilter } from "./request-log.ts";
import { parseScript, validateScript, type Script } from "./script.ts";
import { ANTHROPIC, OPENAI, type WireFormat } from "./wire.ts";
import { SERVICE, traceRequest, tracerFor } from "../telemetry/index.ts";

const BODY_LIMIT = 16 * 1024 * 1024;
const PATHS = ["/v1/chat/completions", "/v1/messages", "/v1/models", "/_scripted/requests", "/_scripted/script", "/healthz"];

/** A request's path without trailing slashes. */
const pathOf = (req: IncomingMessage): string => (URL.parse(req.url ?? "/", "http://localhost")?.pathname ?? "/").replace(/\/+$/, "") || "/";

export interface ScriptedModelServerOptions {
  /** A validated script, a decoded value to validate, or YAML/JSON text. */
  script: Script | string | unknown;
  port?: number;
  host?: string;
  apiKey?: string;
}

export interface ScriptedModelServer {
  url: string;
  stop(): Promise<void>;
  requests(filter?: RequestFilter): LoggedRequest[];
  /** Replaces the script; every conversation starts again from its first turn. */
  load(script: Script | string | unknown): void;
}

/** Validates a script given as text or value; throws with the field named when it is wrong. */
export function toScript(input: unknown): Script {
  const result = typeof input === "string" ? parseScript(input) : validateScript(input);
  if (!result.ok) throw new Error(result.error);
  return result.script;
}

function formatFor(path: string, req: IncomingMessage): WireFormat {
  return path.startsWith("/v1/messages") || req.headers["anthropic-version"] !== undefined ? ANTHROPIC : OPENAI;
}

function listModels(script: Script, format: WireFormat): unknown {
  const ids = Object.keys(script.models).filter((m) => m !== "*");
  if (format === ANTHROPIC) {
    const data = ids.map((id) => ({ type: "model", id, display_name: id, created_at: "1970-01-01T00:00:00Z" }));
    return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null };
  }
  return { object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "aegis-scripted" })) };
}

export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  let script = toScript(options.script);
  let player: Player = createPlayer(script);
  const log = createRequestLog();
  const stopping = new AbortController();
  const deps = { next: (m: string, c: string, t: string) => player.next(m, c, t), log, signal: stopping.signal };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const format = formatFor(path, req);
    const method = req.method ?? "GET";
    if (path === "/healthz" && method === "GET") return sendJson(res, 200, { status: "ok" });
    if (!isAuthorized(req, options.apiKey)) {
      const message = format === ANTHROPIC ? "invalid x-api-key" : "Incorrect API key provided.";
      return sendJson(res, 401, format.error(401, message));
    }
    const endpoint = `${method} ${path}`;
    switch (endpoint) {
      case "POST /v1/chat/completions":
        return handleChat(OPENAI, req, res, await readBody(req, BODY_LIMIT), deps);
      case "POST /v1/messages":
        return handleChat(ANTHROPIC, req, res, await readBody(req, BODY_LIMIT), deps);
      case "GET /v1/models":
        return sendJson(res, 200, listModels(script, format));
      case "GET /_scripted/requests": {
        const filter = { model: url.searchParams.get("model") ?? undefined, conversation: url.searchParams.get("conversation") ?? undefined };
        return sendJson(res, 200, { requests: log.list(filter) });
      }
      case "DELETE /_scripted/requests":
        log.clear();
        return sendJson(res, 200, { cleared: true });
      case "POST /_scripted/script": {
        const result = parseScript(await readBody(req, BODY_LIMIT));
        if (!result.ok) return sendJson(res, 400, { error: result.error });
        script = result.script;
        player = createPlayer(script);
        return sendJson(res, 200, { models: Object.keys(script.models) });
      }
      default: {
        const known = PATHS.includes(path);
        const status = known ? 405 : 404;
        return sendJson(res, status, format.error(status, known ? `method ${method} not allowed on ${path}` : `no route ${method} ${path}`));
      }
    }
  }

  const server = createServer((req, res) => {
    // With tracing on (main.ts), a SERVER span per request continuing the caller's traceparent.
    const path = pathOf(req);
    traceRequest(tracerFor(SERVICE.model), req, res, PATHS.includes(path) ? path : "other", () => route(req, res)).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const format = formatFor(req.url ?? "", req);
      if (error instanceof BodyTooLarge) return sendJson(res, 413, format.error(413, error.message));
      sendJson(res, 500, format.error(500, `scripted model server error: ${(error as Error).message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    requests: (filter) => log.list(filter),
    load(next) {
      script = toScript(next);
      player = createPlayer(script);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
