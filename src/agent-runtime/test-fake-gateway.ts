// TEST HELPER ONLY: a small fake of the gateway's agent-facing API (docs/design/execution-loop.md)
// until src/gateway lands. It checks the bearer token, serves a fixed iteration, forwards
// /v1/chat/completions to a real (scripted) model server with the agent's alias, decides tool
// calls with a test-given policy, and records what the runtime reported.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { providerToolName } from "../gateway/tool-names.ts";
import type { IterationInfo } from "./iteration.ts";

type Json = Record<string, unknown>;
const renamed = (fn: unknown): Json => ({ ...(fn as Json), name: providerToolName(String((fn as Json)["name"])) });

/**
 * The agent's tool names as the real gateway sends them (the scripted server, like the providers,
 * rejects fs.write). Answers are passed on as they are: scripts here name tools as the agent does.
 */
function encodeToolNames(body: Json): Json {
  const out: Json = { ...body };
  if (Array.isArray(body["tools"])) out["tools"] = (body["tools"] as Json[]).map((t) => ({ ...t, function: renamed(t["function"]) }));
  if (Array.isArray(body["messages"])) {
    out["messages"] = (body["messages"] as Json[]).map((m) =>
      Array.isArray(m["tool_calls"]) ? { ...m, tool_calls: (m["tool_calls"] as Json[]).map((c) => ({ ...c, function: renamed(c["function"]) })) } : m);
  }
  const choice = body["tool_choice"];
  if (typeof choice === "object" && choice !== null) out["tool_choice"] = { ...choice, function: renamed((choice as Json)["function"]) };
  return out;
}

export interface FakeGatewayOptions {
  token: string;
  iteration: Partial<IterationInfo> & Pick<IterationInfo, "model">;
  /** Base URL of the model server (the scripted one). */
  modelUrl: string;
  /** Tool call policy; allow everything by default. */
  decide?: (call: { seq: number; name: string; arguments: unknown }) => { decision: "allow" } | { decision: "deny"; code: string; message: string };
}

export interface FakeGateway {
  url: string;
  toolCalls: { seq: number; name: string; arguments: unknown }[];
  results: { seq: number; body: Record<string, unknown> }[];
  outputs: { output: string; exitCode?: number }[];
  chatRequests: Record<string, unknown>[];
  unauthorized: number;
  stop(): Promise<void>;
}

export async function startFakeGateway(options: FakeGatewayOptions): Promise<FakeGateway> {
  const iteration: IterationInfo = {
    execution: "exec-1",
    namespace: "default",
    iteration: 1,
    systemPrompt: "You are a careful agent.",
    task: "Do the task.",
    tools: [],
    ...options.iteration,
  };
  const state: Omit<FakeGateway, "url" | "stop"> = { toolCalls: [], results: [], outputs: [], chatRequests: [], unauthorized: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(req, Buffer.concat(chunks).toString("utf8"), res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
  });
  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  async function handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      state.unauthorized += 1;
      return send(res, 401, { error: "unauthorized" });
    }
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    const url = req.url ?? "";
    if (req.method === "GET" && url === "/v1/iteration") return send(res, 200, iteration);
    if (req.method === "POST" && url === "/v1/chat/completions") {
      state.chatRequests.push(body);
      const upstream = await fetch(`${options.modelUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-aegis-execution": iteration.execution },
        body: JSON.stringify({ ...encodeToolNames(body), model: iteration.model }),
        signal: AbortSignal.timeout(60_000),
      });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      return void res.end(await upstream.text());
    }
    if (req.method === "POST" && url === "/v1/tool-calls") {
      const call = body as { seq: number; name: string; arguments: unknown };
      state.toolCalls.push(call);
      return send(res, 200, options.decide?.(call) ?? { decision: "allow" });
    }
    const result = /^\/v1\/tool-calls\/(\d+)\/result$/.exec(url);
    if (req.method === "POST" && result !== null) {
      state.results.push({ seq: Number(result[1]), body });
      return send(res, 204);
    }
    if (req.method === "POST" && url === "/v1/output") {
      state.outputs.push(body as { output: string; exitCode?: number });
      return send(res, 204);
    }
    send(res, 404, { error: `no route ${req.method} ${url}` });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}
