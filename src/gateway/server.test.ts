// The gateway over HTTP against the real scripted model server and the real PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openHistory, type History } from "../history/index.ts";
import { createTestDatabase, type TestDatabase } from "../history/test-database.ts";
import { reassembleOpenAI } from "../model-server/reassemble.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../model-server/server.ts";
import { parseSse } from "../model-server/sse.ts";
import { createCredentialRegistry, type ExecutionGrant } from "./credentials.ts";
import { createModelResolver, type NodeConfigLike } from "./resolve.ts";
import { startGateway, type Gateway } from "./server.ts";

const KEY = "sk-provider-secret-key-4f1d9a7c";
const logLines: string[] = [];
const responses: string[] = [];
let db: TestDatabase;
let history: History;
let model: ScriptedModelServer;
let gateway: Gateway;
let home: string;
const credentials = createCredentialRegistry();
let selection: Record<string, unknown> = {};
let secretValue = KEY;

function nodeConfig(): NodeConfigLike {
  return {
    metadata: { name: "orchestrator" },
    spec: {
      type: "Orchestrator",
      llmSelection: { maxRetries: 3, retryDelay: "10ms", timeout: "5s", ...selection },
      llmProviders: [
        { name: "anthropic", type: "anthropic", endpoint: model.url, apiKeySecretRef: { namespace: "aegis-system", name: "llm-keys", key: "anthropic" },
          models: [{ alias: "smart", model: "claude-sonnet-4-5", costPer1kTokens: 0.003 }] },
        { name: "vllm", type: "openai-compatible", endpoint: model.url, apiKeySecretRef: { namespace: "aegis-system", name: "llm-keys", key: "openai" },
          models: [{ alias: "fast", model: "gpt-4o-mini", costPer1kTokens: 0.001 }] },
      ],
    },
  };
}

function grant(execution: string, alias = "smart", tools = [{ name: "mcp:github.get_file_contents" }]): ExecutionGrant {
  return {
    token: `tok-${execution}-0123456789abcdef`, namespace: "team-a", execution, uid: `00000000-0000-4000-8000-${execution.padStart(12, "0").slice(-12)}`,
    iteration: 1, model: alias, agentTools: ["fs.*", ...tools.map((t) => t.name)], payload: { systemPrompt: `You are ${execution}.`, task: `task of ${execution}`, tools },
  };
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: () => unknown }> {
  const res = await fetch(`${gateway.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, text, json: () => JSON.parse(text) as unknown };
}

beforeAll(async () => {
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), "gateway-test-"));
  const log = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  history = await openHistory({ databaseUrl: db.url, home, log });
  model = await startScriptedModelServer({ script: { models: { "*": [{ text: "hi" }] } }, apiKey: KEY });
  const resolver = createModelResolver({ nodeConfigs: () => [nodeConfig()], readSecret: () => Promise.resolve(secretValue) });
  gateway = await startGateway({ port: 0, history: history.store, resolver, credentials, log, warmupMs: 0 });
});

afterAll(async () => {
  await gateway.stop();
  await model.stop();
  await history.close();
  await db.drop();
  await rm(home, { recursive: true, force: true });
  // No provider key in any response or log line.
  expect(responses.join("\n")).not.toContain(KEY);
  expect(logLines.join("\n")).not.toContain(KEY);
  expect(responses.length).toBeGreaterThan(10);
});

beforeEach(() => {
  selection = {};
  secretValue = KEY;
});

describe("gateway", () => {
  it("serves an OpenAI-format tool loop through an Anthropic provider and accounts tokens and cost", async () => {
    model.load({ models: { "claude-sonnet-4-5": [
      // The model names the tool as it was sent (encoded); the agent must see fs.write again.
      { text: "Writing.", toolCalls: [{ id: "toolu_1", name: "fs--write", arguments: { path: "out.txt", content: "hello" } }], usage: { input: 100, output: 20 } },
      { match: { contains: "wrote" }, text: "Done.", usage: { input: 200, output: 5 } },
    ] } });
    const g = grant("loop");
    credentials.register(g);
    const iteration = await call(g.token, "GET", "/v1/iteration");
    expect(iteration.json()).toMatchObject({ execution: "loop", namespace: "team-a", iteration: 1, model: "smart", task: "task of loop" });

    const messages: unknown[] = [{ role: "system", content: "be brief" }, { role: "user", content: "write the file" }];
    const tools = [{ type: "function", function: { name: "fs.write", parameters: { type: "object" } } }];
    const first = await call(g.token, "POST", "/v1/chat/completions", { model: "ignored", messages, tools });
    expect(first.status).toBe(200);
    const reply = first.json() as { choices: { message: { content: string; tool_calls: unknown[] }; finish_reason: string }[]; usage: unknown };
    expect(reply.choices[0]?.finish_reason).toBe("tool_calls");
    expect(reply.choices[0]?.message.tool_calls).toEqual([{ id: "toolu_1", type: "function", function: { name: "fs.write", arguments: '{"path":"out.txt","content":"hello"}' } }]);
    expect(reply.usage).toEqual({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });

    messages.push(reply.choices[0]?.message, { role: "tool", tool_call_id: "toolu_1", content: "wrote 5 bytes" });
    const second = await call(g.token, "POST", "/v1/chat/completions", { model: "ignored", messages, tools });
    expect((second.json() as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("Done.");

    // What the provider saw: Anthropic's format with the system prompt, a tool_result block and provider-safe tool names.
    const sent = model.requests({ model: "claude-sonnet-4-5" }).map((r) => r.body as Record<string, unknown>);
    expect(sent[1]).toMatchObject({ system: "be brief", tools: [{ name: "fs--write", input_schema: { type: "object" } }] });
    expect((sent[1]?.["messages"] as unknown[])[2]).toEqual({ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "wrote 5 bytes" }] });

    const totals = await history.store.totalsOf(g.uid);
    expect(totals).toMatchObject({ tokensIn: 300, tokensOut: 25 });
    expect(totals.costUsd).toBeCloseTo((325 / 1000) * 0.003, 9);
    const turns = await history.store.transcriptOf(g.uid, 1);
    expect(turns.map((t) => t.role)).toEqual(["system", "user", "assistant", "tool", "assistant"]);
  });

  it("streams to the agent in OpenAI chunks", async () => {
    model.load({ models: { "gpt-4o-mini": [{ text: "a streamed answer that is longer than one piece", usage: { input: 10, output: 12 } }] } });
    const g = grant("stream", "fast");
    credentials.register(g);
    const res = await call(g.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "go" }], stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const whole = reassembleOpenAI(parseSse(res.text)) as { choices: { message: { content: string } }[]; usage: unknown };
    expect(whole.choices[0]?.message.content).toBe("a streamed answer that is longer than one piece");
    expect(whole.usage).toEqual({ prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 });
  });

  describe.each([
    { format: "anthropic", alias: "smart", provider: "claude-sonnet-4-5", costPer1k: 0.003 },
    { format: "openai", alias: "fast", provider: "gpt-4o-mini", costPer1k: 0.001 },
  ])("streaming from an $format provider", ({ alias, provider, costPer1k }) => {
    const TEXT = "a streamed answer, sixteen code points at a time, from the provider to the agent";
    const ask = (content: string, stream: boolean): Record<string, unknown> => ({
      model: "x", messages: [{ role: "user", content }], tools: [{ type: "function", function: { name: "fs.write", parameters: { type: "object" } } }],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
    const noCreated = (o: unknown): unknown => ({ ...(o as object), created: 0 });

    it("passes text and tool-call deltas on (tool names decoded); the reassembled stream equals the non-streaming answer; usage and cost recorded once", async () => {
      const turn = { text: TEXT, toolCalls: [{ id: "call_w1", name: "fs--write", arguments: { path: "out.txt", content: "hello" } }], usage: { input: 100, output: 20 } };
      model.load({ models: { [provider]: [turn, turn] } });
      const s = grant(`st-${alias}`, alias);
      const p = grant(`plain-${alias}`, alias);
      credentials.register(s);
      credentials.register(p);
      const before = model.requests({ model: provider }).length;
      const streamed = await call(s.token, "POST", "/v1/chat/completions", ask(`tools ${alias}`, true));
      const plain = await call(p.token, "POST", "/v1/chat/completions", ask(`tools ${alias}`, false));
      expect([streamed.status, plain.status]).toEqual([200, 200]);
      const events = parseSse(streamed.text);
      expect(streamed.text).not.toContain("fs--write");
      const named = events.slice(0, -1).flatMap((e) => ((JSON.parse(e.data) as { choices: { delta: { tool_calls?: { function: { name?: string } }[] } }[] }).choices[0]?.delta.tool_calls ?? []));
      expect(named.map((c) => c.function.name).filter((n) => n !== undefined)).toEqual(["fs.write"]);
      expect(events.filter((e) => e.data.includes('"content":"')).length).toBeGreaterThan(2); // the text came in pieces
      const whole = reassembleOpenAI(events);
      expect(noCreated(whole)).toEqual(noCreated(plain.json()));
      expect((whole as { choices: { message: { tool_calls: unknown[] } }[] }).choices[0]?.message.tool_calls)
        .toEqual([{ id: "call_w1", type: "function", function: { name: "fs.write", arguments: '{"path":"out.txt","content":"hello"}' } }]);
      // The provider was asked to stream (OpenAI: with usage).
      const asked = model.requests({ model: provider }).slice(before).map((r) => r.body as Record<string, unknown>);
      expect(asked.map((b) => b["stream"] === true)).toEqual([true, false]);
      if (alias === "fast") expect(asked[0]?.["stream_options"]).toEqual({ include_usage: true });
      // One answer turn, with the tokens and cost the non-streaming path records.
      const [mine, theirs] = [await history.store.transcriptOf(s.uid, 1), await history.store.transcriptOf(p.uid, 1)];
      expect(mine.map((t) => t.role)).toEqual(["user", "assistant"]);
      expect(mine[1]?.content).toEqual(theirs[1]?.content);
      const totals = await history.store.totalsOf(s.uid);
      expect(totals).toMatchObject({ tokensIn: 100, tokensOut: 20 });
      expect(totals.costUsd).toBeCloseTo((120 / 1000) * costPer1k, 9);
    });

    it("sends the first chunks before the provider has finished", async () => {
      model.load({ models: { [provider]: [{ text: TEXT, chunkDelayMs: 80 }] } });
      const g = grant(`ttft-${alias}`, alias);
      credentials.register(g);
      const started = Date.now();
      const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${g.token}`, "content-type": "application/json" }, body: JSON.stringify(ask("ttft", true)) });
      let text = "";
      let firstContentAt: number | undefined;
      for await (const bytes of res.body ?? []) {
        text += new TextDecoder().decode(bytes);
        if (firstContentAt === undefined && text.includes('"content":"a streamed')) firstContentAt = Date.now() - started;
      }
      const endedAt = Date.now() - started;
      responses.push(text);
      // Six text pieces and the events around them: the provider takes ≥ 8 × 80 ms; its first piece comes at once.
      expect(endedAt).toBeGreaterThanOrEqual(640);
      expect(firstContentAt).toBeDefined();
      expect(endedAt - (firstContentAt ?? endedAt)).toBeGreaterThanOrEqual(400);
      expect((reassembleOpenAI(parseSse(text)) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(TEXT);
    });

    it("retries a provider 500 before streaming", async () => {
      model.load({ models: { [provider]: [{ text: "after a fault", faults: [{ status: 500, times: 1 }] }] } });
      const g = grant(`st500-${alias}`, alias);
      credentials.register(g);
      const before = model.requests().length;
      const res = await call(g.token, "POST", "/v1/chat/completions", ask("fault", true));
      expect(res.status).toBe(200);
      expect(model.requests().slice(before).map((r) => r.status)).toEqual([500, 200]);
      expect((reassembleOpenAI(parseSse(res.text)) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("after a fault");
    });

    it("times out a provider stream that stalls (the timeout bounds each wait for the next piece)", async () => {
      selection = { timeout: "200ms", maxRetries: 0 };
      model.load({ models: { [provider]: [{ text: TEXT, chunkDelayMs: 1000 }] } });
      const g = grant(`stall-${alias}`, alias);
      credentials.register(g);
      const started = Date.now();
      const res = await call(g.token, "POST", "/v1/chat/completions", ask("stall", true));
      expect(Date.now() - started).toBeLessThan(900);
      expect(res.text).toContain("timed out after 200 ms");
      if (alias === "smart") expect(res.status).toBe(504); // Anthropic's first events carry nothing for the agent: nothing was sent yet
      else expect([res.status, parseSse(res.text).length]).toEqual([200, 2]); // OpenAI's first chunk (the role) was passed on: an error event ends the stream
    });

    it("ends the agent's stream with an error when the provider's stream breaks, and records no answer turn", async () => {
      model.load({ models: { [provider]: [{ text: TEXT, truncate: true, chunkDelayMs: 10, usage: { input: 50, output: 50 } }, { text: "never" }] } });
      const g = grant(`cut-${alias}`, alias);
      credentials.register(g);
      const before = model.requests().length;
      const res = await call(g.token, "POST", "/v1/chat/completions", ask("cut", true));
      expect(res.status).toBe(200);
      const events = parseSse(res.text);
      expect(events.some((e) => e.data.includes('"content":"a streamed'))).toBe(true);
      expect(JSON.parse(events.at(-1)?.data ?? "{}")).toMatchObject({ error: { type: "server_error", message: expect.stringContaining("stream") as unknown } });
      expect(() => reassembleOpenAI(events)).toThrow(/DONE/);
      expect(model.requests().slice(before)).toHaveLength(1); // not retried after the first byte
      expect((await history.store.transcriptOf(g.uid, 1)).map((t) => t.role)).toEqual(["user"]);
      expect(await history.store.totalsOf(g.uid)).toMatchObject({ tokensIn: 0, tokensOut: 0 });
    });
  });

  it("retries a provider 500 twice then succeeds; never retries a 400", async () => {
    model.load({ models: { "claude-sonnet-4-5": [{ text: "after faults", faults: [{ status: 500, times: 2 }] }], "gpt-4o-mini": [{ text: "never", faults: [{ status: 400, times: 1 }] }] } });
    const a = grant("retry");
    const b = grant("noretry", "fast");
    credentials.register(a);
    credentials.register(b);
    const before = model.requests().length;
    const ok = await call(a.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "r" }] });
    expect(ok.status).toBe(200);
    expect(model.requests().slice(before).map((r) => r.status)).toEqual([500, 500, 200]);
    const bad = await call(b.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "r" }] });
    expect(bad.status).toBe(400);
    expect(model.requests().slice(before + 3)).toHaveLength(1);
    expect(logLines.some((l) => l.includes("retrying provider call"))).toBe(true);
  });

  it("honours Retry-After on a 429", async () => {
    model.load({ models: { "claude-sonnet-4-5": [{ text: "later", faults: [{ status: 429, times: 1, retryAfter: 1 }] }] } });
    const g = grant("after");
    credentials.register(g);
    const started = Date.now();
    const res = await call(g.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "a" }] });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("answers 502 (not 401) when the provider refuses the key, and names no key", async () => {
    secretValue = "sk-wrong-provider-key-77aa31";
    const g = grant("badkey");
    credentials.register(g);
    const res = await call(g.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "k" }] });
    expect(res.status).toBe(502);
    expect(res.text).not.toContain("sk-wrong-provider-key-77aa31");
    expect(logLines.join("\n")).not.toContain("sk-wrong-provider-key-77aa31");
  });

  it("answers 504 when the provider is slower than the timeout", async () => {
    selection = { timeout: "200ms", maxRetries: 1 };
    model.load({ models: { "claude-sonnet-4-5": [{ text: "slow", delayMs: 1000 }, { text: "slow again", delayMs: 1000 }] } });
    const g = grant("slow");
    credentials.register(g);
    const res = await call(g.token, "POST", "/v1/chat/completions", { model: "x", messages: [{ role: "user", content: "s" }] });
    expect(res.text).toContain("timed out");
    expect(res.status).toBe(504);
  });

  it("refuses wrong tokens (401) and finished executions (403); a token reads only its own iteration", async () => {
    const a = grant("alpha");
    const b = grant("beta");
    credentials.register(a);
    credentials.register(b);
    expect((await call("not-a-token", "GET", "/v1/iteration")).status).toBe(401);
    expect((await call(`${a.token}x`, "GET", "/v1/iteration")).status).toBe(401);
    expect((await call(a.token, "GET", "/v1/iteration")).json()).toMatchObject({ execution: "alpha" });
    expect((await call(b.token, "GET", "/v1/iteration")).json()).toMatchObject({ execution: "beta" });
    await call(a.token, "POST", "/v1/output", { output: "alpha's output" });
    expect((await history.store.eventsOf(b.uid)).filter((e) => e.type === "IterationOutput")).toHaveLength(0);
    credentials.finish(a.token);
    expect((await call(a.token, "POST", "/v1/output", { output: "late" })).status).toBe(403);
    credentials.unregister(b.token);
    expect((await call(b.token, "GET", "/v1/iteration")).status).toBe(401);
  });

  it("while warming up answers an unknown token 503 with Retry-After, then serves it once registered", async () => {
    const log = pino({ level: "silent" });
    const registry = createCredentialRegistry();
    const warm = await startGateway({ port: 0, history: history.store, resolver: createModelResolver({ nodeConfigs: () => [], readSecret: () => Promise.resolve(undefined) }), credentials: registry, log, warmupMs: 60_000 });
    try {
      const g = grant("restarted");
      const before = await fetch(`${warm.url}/v1/iteration`, { headers: { authorization: `Bearer ${g.token}` } });
      expect([before.status, before.headers.get("retry-after")]).toEqual([503, "1"]);
      expect((await fetch(`${warm.url}/v1/iteration`)).status).toBe(401); // no token at all: never worth a retry
      registry.register(g);
      expect((await fetch(`${warm.url}/v1/iteration`, { headers: { authorization: `Bearer ${g.token}` } })).status).toBe(200);
      expect(registry.holds(g.token, g.uid, 1)).toBe(true);
      expect(registry.holds(g.token, g.uid, 2)).toBe(false);
    } finally {
      await warm.stop();
    }
  });

  it("records the request's turns while the provider answers; a failed write fails the request, a failed provider keeps the turns", async () => {
    // The provider fails (400, not retried): the request's turns are written all the same.
    model.load({ models: { "claude-sonnet-4-5": [{ text: "never", faults: [{ status: 400, times: 1 }] }] } });
    const g = grant("turns-kept");
    credentials.register(g);
    const messages = [{ role: "system", content: "s" }, { role: "user", content: "u" }];
    expect((await call(g.token, "POST", "/v1/chat/completions", { model: "x", messages })).status).toBe(400);
    expect((await history.store.transcriptOf(g.uid, 1)).map((t) => [t.seq, t.role])).toEqual([[0, "system"], [1, "user"]]);

    // The write fails: the agent gets a 500, not the provider's answer.
    model.load({ models: { "*": [{ text: "hi" }] } });
    const log = pino({ level: "silent" });
    const registry = createCredentialRegistry();
    const failing = { ...history.store, appendTurns: () => Promise.reject(new Error("database down")) };
    const broken = await startGateway({ port: 0, history: failing, resolver: createModelResolver({ nodeConfigs: () => [nodeConfig()], readSecret: () => Promise.resolve(KEY) }), credentials: registry, log, warmupMs: 0 });
    try {
      const b = grant("write-fails");
      registry.register(b);
      const res = await fetch(`${broken.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${b.token}`, "content-type": "application/json" }, body: JSON.stringify({ model: "x", messages }) });
      expect(res.status).toBe(500);
      expect(await history.store.transcriptOf(b.uid, 1)).toEqual([]);
    } finally {
      await broken.stop();
    }
  });

  it("decides tool calls, records results and the output once", async () => {
    const g = grant("tools");
    credentials.register(g);
    expect((await call(g.token, "POST", "/v1/tool-calls", { seq: 0, name: "fs.write", arguments: { path: "a" } })).json()).toEqual({ decision: "allow" });
    expect((await call(g.token, "POST", "/v1/tool-calls/0/result", { ok: true, content: "done", durationMs: 12 })).status).toBe(204);
    // An MCP tool is run by the gateway (here without MCP servers) and answered at once (server-mcp.test.ts).
    expect((await call(g.token, "POST", "/v1/tool-calls", { seq: 1, name: "mcp:github.get_file_contents", arguments: {} })).json())
      .toEqual({ decision: "allow", result: { ok: false, error: "this gateway serves no MCP servers" } });
    expect((await call(g.token, "POST", "/v1/tool-calls", { seq: 3, name: "fs.read", arguments: {} })).json()).toEqual({ decision: "allow" });
    expect((await call(g.token, "POST", "/v1/tool-calls/3/result", { ok: false, error: { code: "Timeout", message: "slow" }, durationMs: 5 })).status).toBe(204);
    expect((await call(g.token, "POST", "/v1/tool-calls", { seq: 2, name: "no.such.tool", arguments: {} })).json())
      .toMatchObject({ decision: "deny", code: "ToolNotAllowed" });
    for (let i = 0; i < 2; i++) expect((await call(g.token, "POST", "/v1/output", { output: "final", exitCode: 0 })).status).toBe(204);
    const calls = await history.store.toolCallsOf(g.uid, 1);
    expect(calls.map((c) => [c.seq, c.toolName, c.decision, c.resultSummary])).toEqual([[0, "fs.write", "allow", "done"], [1, "mcp:github.get_file_contents", "allow", null], [2, "no.such.tool", "deny", null], [3, "fs.read", "allow", null]]);
    expect(calls[1]?.error).toBe("this gateway serves no MCP servers");
    expect(calls[3]?.error).toBe('{"code":"Timeout","message":"slow"}');
    const outputs = (await history.store.eventsOf(g.uid)).filter((e) => e.type === "IterationOutput");
    expect(outputs.map((e) => e.payload)).toEqual([{ output: "final", exitCode: 0 }]);
  });

  it("exports latency, token, cost and tool-call metrics", async () => {
    const text = await gateway.metrics.registry.metrics();
    expect(text).toMatch(/aegis_gateway_request_duration_seconds_count\{route="\/v1\/chat\/completions",status="200"\} [1-9]/);
    expect(text).toMatch(/aegis_gateway_request_duration_seconds_count\{route="\/v1\/iteration",status="401"\} [1-9]/);
    expect(text).toMatch(/aegis_gateway_tokens_total\{direction="in",alias="smart",provider="anthropic"\} [1-9]/);
    expect(text).toMatch(/aegis_gateway_cost_usd_total\{alias="smart",provider="anthropic"\} 0\.\d+/);
    expect(text).toMatch(/aegis_gateway_tool_calls_total\{decision="deny"\} 1/);
    expect(text).toMatch(/aegis_gateway_provider_retries_total\{provider="anthropic"\} [1-9]/);
  });

  it("never crashes on arbitrary bodies; a 400 names the field", async () => {
    model.load({ models: { "*": Array.from({ length: 200 }, () => ({ text: "ok" })) } });
    const g = grant("fuzz");
    credentials.register(g);
    const paths = ["/v1/chat/completions", "/v1/tool-calls", "/v1/tool-calls/3/result", "/v1/output"];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.json(), fc.string()), async (path, body) => {
      const res = await call(g.token, "POST", path, typeof body === "string" ? body : JSON.stringify(body) ?? "null");
      expect(res.status).toBeLessThan(500);
      if (res.status === 400) expect(res.text).toMatch(/malformed request: [^:]+: /);
    }), { numRuns: 150 });
  });
});
