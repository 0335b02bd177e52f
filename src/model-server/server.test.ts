// Wire tests over real HTTP: requests as an SDK sends them, responses parsed as an SDK parses them.
import { afterEach, describe, expect, it } from "vitest";
import { reassembleAnthropic, reassembleOpenAI } from "./reassemble.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "./server.ts";
import { parseSse } from "./sse.ts";

const SCRIPT = {
  models: {
    "gpt-test": [
      { text: "I will write the file.", toolCalls: [{ name: "fs_write", arguments: { path: "out.txt", content: "hello" } }] },
      { match: { contains: "wrote 5 bytes" }, text: "Done: out.txt written.", usage: { input: 42, output: 7 } },
    ],
    "claude-test": [
      { toolCalls: [{ name: "cmd_run", arguments: { command: "ls" } }] },
      { match: { regex: "out\\.txt" }, text: "The workspace has out.txt." },
    ],
    flaky: [{ text: "finally", faults: [{ status: 500, times: 2 }, { status: 429, retryAfter: 3, message: "slow down" }] }],
    broken: [
      { toolCalls: [{ name: "no.such.tool", rawArguments: '{"path": "a' }] },
      { text: "this stream is cut short by the script, on purpose", truncate: true },
    ],
    slow: [{ text: "late", delayMs: 60 }],
    dripping: [{ text: "forty-eight characters of text, sent in 3 parts", chunkDelayMs: 60 }, { text: "forty-eight characters of text, sent in 3 parts" }],
  },
};

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(apiKey?: string): Promise<ScriptedModelServer> {
  server = await startScriptedModelServer({ script: SCRIPT, ...(apiKey === undefined ? {} : { apiKey }) });
  return server;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const url = server?.url ?? "";
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const user = (content: string): { role: string; content: string } => ({ role: "user", content });
// Real APIs take only ^[a-zA-Z0-9_-]{1,64}$ tool names (the gateway encodes fs.write); so does this server.
const FS_WRITE_TOOL = { type: "function", function: { name: "fs_write", parameters: { type: "object", properties: { path: { type: "string" } } } } };

describe("OpenAI /v1/chat/completions", () => {
  it("answers a tool call, then text after the tool result", async () => {
    await start();
    const messages: unknown[] = [{ role: "system", content: "You are terse." }, user("write out.txt")];
    const first = await post("/v1/chat/completions", { model: "gpt-test", messages, tools: [FS_WRITE_TOOL], tool_choice: "auto" });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json");
    const body = (await first.json()) as { choices: { message: { tool_calls: { id: string }[] } }[] };
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-test",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            content: "I will write the file.",
            tool_calls: [{ type: "function", function: { name: "fs_write", arguments: '{"path":"out.txt","content":"hello"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    const call = body.choices[0]?.message.tool_calls[0];
    messages.push(body.choices[0]?.message, { role: "tool", tool_call_id: call?.id, content: "wrote 5 bytes" });
    const second = await post("/v1/chat/completions", { model: "gpt-test", messages, tools: [FS_WRITE_TOOL] });
    expect(await second.json()).toMatchObject({
      choices: [{ finish_reason: "stop", message: { content: "Done: out.txt written." } }],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    });
  });

  it("streams chunks that reassemble to the non-streaming answer, with a final usage chunk and [DONE]", async () => {
    await start();
    const request = { model: "gpt-test", messages: [user("stream me")], stream: true, stream_options: { include_usage: true } };
    const res = await post("/v1/chat/completions", request, { "x-aegis-execution": "s1" });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.at(-1)).toEqual({ data: "[DONE]" });
    const usageChunk = JSON.parse(events.at(-2)?.data ?? "{}") as Record<string, unknown>;
    expect(usageChunk).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
    const streamed = reassembleOpenAI(events);

    server?.load(SCRIPT); // the same conversation from its start again: the replay is deterministic, tool call ids included
    const plain = (await (await post("/v1/chat/completions", { ...request, stream: false }, { "x-aegis-execution": "s1" })).json()) as Record<string, unknown>;
    const strip = ({ id: _id, created: _c, choices }: Record<string, unknown>): unknown => choices;
    expect(strip(streamed)).toEqual(strip(plain));
    expect(streamed["usage"]).toEqual(plain["usage"]);
  });

  it("lists the script's models", async () => {
    await start();
    const res = await fetch(`${server?.url}/v1/models`);
    expect(await res.json()).toMatchObject({ object: "list", data: expect.arrayContaining([{ id: "gpt-test", object: "model", created: 0, owned_by: "aegis-scripted" }]) });
  });
});

describe("Anthropic /v1/messages", () => {
  const base = { model: "claude-test", max_tokens: 1024, system: "terse", tools: [{ name: "cmd_run", input_schema: { type: "object" } }] };

  it("answers tool_use, then text after the tool_result", async () => {
    await start();
    const messages: unknown[] = [{ role: "user", content: [{ type: "text", text: "list the workspace" }] }];
    const first = await post("/v1/messages", { ...base, messages }, { "anthropic-version": "2023-06-01" });
    const body = (await first.json()) as { content: { id: string }[] };
    expect(first.headers.get("request-id")).toMatch(/^req_/);
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-test",
      content: [{ type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "cmd_run", input: { command: "ls" } }],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
    messages.push({ role: "assistant", content: body.content });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: body.content[0]?.id, content: "out.txt\n" }] });
    const second = await post("/v1/messages", { ...base, messages });
    expect(await second.json()).toMatchObject({ content: [{ type: "text", text: "The workspace has out.txt." }], stop_reason: "end_turn" });
  });

  it("streams the documented event sequence, reassembling to the non-streaming answer", async () => {
    await start();
    const request = { ...base, messages: [user("list")], stream: true };
    const res = await post("/v1/messages", request, { "x-aegis-execution": "a1" });
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(JSON.parse(events[2]?.data ?? "{}")).toMatchObject({ delta: { type: "input_json_delta" } });
    server?.load(SCRIPT);
    const plain = (await (await post("/v1/messages", { ...request, stream: false }, { "x-aegis-execution": "a1" })).json()) as Record<string, unknown>;
    const { id: _a, ...streamed } = reassembleAnthropic(events);
    const { id: _b, ...expected } = plain;
    expect(streamed).toEqual(expected);
  });
});

describe("fault injection and malformed output", () => {
  it("answers 500 twice, then 429 with Retry-After, then 200 — in each format's error shape", async () => {
    await start();
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post("/v1/chat/completions", { model: "flaky", messages: [user("go")] });
      statuses.push(res.status);
      bodies.push(await res.json());
      if (res.status === 429) expect(res.headers.get("retry-after")).toBe("3");
    }
    expect(statuses).toEqual([500, 500, 429, 200]);
    expect(bodies[0]).toEqual({ error: { message: "scripted fault: status 500", type: "server_error", param: null, code: null } });
    expect(bodies[2]).toMatchObject({ error: { message: "slow down", code: "rate_limit_exceeded" } });
    expect(server?.requests({ model: "flaky" }).map((r) => r.outcome)).toEqual(["fault", "fault", "fault", "turn"]);

    const anthropic = await post("/v1/messages", { model: "flaky", max_tokens: 10, messages: [user("other conversation")] });
    expect(anthropic.status).toBe(500);
    expect(await anthropic.json()).toEqual({ type: "error", error: { type: "api_error", message: "scripted fault: status 500" } });
  });

  it("returns invalid JSON arguments and unknown tool names verbatim, and cuts a stream short", async () => {
    await start();
    const first = (await (await post("/v1/chat/completions", { model: "broken", messages: [user("x")] })).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ choices: [{ message: { tool_calls: [{ function: { name: "no.such.tool", arguments: '{"path": "a' } }] } }] });
    const res = await post("/v1/chat/completions", { model: "broken", messages: [user("x")], stream: true });
    const reader = res.body?.getReader();
    let received = "";
    let dropped = false;
    try {
      for (let r = await reader?.read(); r !== undefined && !r.done; r = await reader?.read()) received += new TextDecoder().decode(r.value);
    } catch {
      dropped = true;
    }
    expect(dropped).toBe(true);
    expect(received).toContain("chat.completion.chunk");
    expect(received).not.toContain("[DONE]");
  });

  it("cuts a non-streaming body short: the client cannot read it", async () => {
    await start();
    await post("/v1/messages", { model: "broken", max_tokens: 100, messages: [user("x")] });
    const res = await post("/v1/messages", { model: "broken", max_tokens: 100, messages: [user("x")] });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("waits the turn's delay", async () => {
    await start();
    const t0 = Date.now();
    const res = await post("/v1/chat/completions", { model: "slow", messages: [user("x")] });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it("spaces a stream's events by the turn's chunkDelayMs; the events are those of an undelayed stream", async () => {
    await start();
    const request = { model: "dripping", messages: [user("drip")], stream: true };
    const res = await post("/v1/chat/completions", request, { "x-aegis-execution": "d1" });
    const arrivals: { at: number; text: string }[] = [];
    const t0 = Date.now();
    for await (const bytes of res.body ?? []) arrivals.push({ at: Date.now() - t0, text: new TextDecoder().decode(bytes) });
    // role, three text pieces, finish, [DONE]: six events, five waits.
    const events = parseSse(arrivals.map((a) => a.text).join(""));
    expect(events).toHaveLength(6);
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    expect((arrivals.at(-1)?.at ?? 0) - (arrivals[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    const undelayed = parseSse(await (await post("/v1/chat/completions", request, { "x-aegis-execution": "d1" })).text());
    const strip = (e: { data: string }[]): unknown[] => e.map((x) => (x.data === "[DONE]" ? x.data : { ...(JSON.parse(x.data) as object), id: 0, created: 0 }));
    expect(strip(events)).toEqual(strip(undelayed));
  });
});

describe("conversations", () => {
  it("keeps concurrent conversations apart (by header, or by first user message)", async () => {
    await start();
    const ask = (execution: string): Promise<unknown> =>
      post("/v1/chat/completions", { model: "gpt-test", messages: [user("write")] }, { "x-aegis-execution": execution }).then((r) => r.json());
    const answers = (await Promise.all(["e1", "e2", "e3"].map(ask))) as { choices: { finish_reason: string }[] }[];
    expect(answers.map((a) => a.choices[0]?.finish_reason)).toEqual(["tool_calls", "tool_calls", "tool_calls"]);
    const byFirst = await Promise.all(["a", "b"].map((t) => post("/v1/chat/completions", { model: "gpt-test", messages: [user(t)] })));
    expect(byFirst.map((r) => r.status)).toEqual([200, 200]);
    expect(new Set(server?.requests().map((r) => r.conversation)).size).toBe(5);
  });

  it("says when the script has no turn left, and when the model is not scripted", async () => {
    await start();
    await post("/v1/chat/completions", { model: "slow", messages: [user("x")] });
    const exhausted = await post("/v1/chat/completions", { model: "slow", messages: [user("x")] });
    expect(exhausted.status).toBe(500);
    expect(((await exhausted.json()) as { error: { message: string } }).error.message).toContain("no turn left");
    const unknown = await post("/v1/messages", { model: "nope", max_tokens: 5, messages: [user("x")] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});

describe("auth, malformed requests and the test endpoints", () => {
  it("requires the API key (Bearer or x-api-key) when configured, but not for /healthz", async () => {
    await start("sk-test");
    expect((await fetch(`${server?.url}/healthz`)).status).toBe(200);
    const none = await post("/v1/chat/completions", { model: "gpt-test", messages: [user("x")] });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "invalid_api_key" } });
    const wrong = await post("/v1/messages", { model: "claude-test", max_tokens: 5, messages: [user("x")] }, { "x-api-key": "sk-wrong" });
    expect(await wrong.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
    expect((await post("/v1/chat/completions", { model: "gpt-test", messages: [user("x")] }, { authorization: "Bearer sk-test" })).status).toBe(200);
    expect((await post("/v1/messages", { model: "claude-test", max_tokens: 5, messages: [user("x")] }, { "x-api-key": "sk-test" })).status).toBe(200);
    expect((await fetch(`${server?.url}/_scripted/requests`)).status).toBe(401);
    const logged = server?.requests() ?? [];
    expect(logged.map((r) => r.headers["authorization"] ?? r.headers["x-api-key"])).toEqual(["[redacted]", "[redacted]"]);
  });

  it.each([
    { path: "/v1/chat/completions", body: "{not json", want: "request body is not valid JSON" },
    { path: "/v1/chat/completions", body: { model: "gpt-test" }, want: "messages" },
    { path: "/v1/chat/completions", body: { model: "gpt-test", messages: [{ role: "robot", content: "x" }] }, want: "messages.0.role" },
    {
      path: "/v1/chat/completions",
      body: { model: "gpt-test", messages: [user("x"), { role: "tool", tool_call_id: "call_x", content: "r" }] },
      want: "messages.1.tool_call_id: messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
    },
    { path: "/v1/chat/completions", body: { model: "gpt-test", messages: [user("x")], tools: [FS_WRITE_TOOL], tool_choice: { type: "function", function: { name: "nope" } } }, want: "tool_choice.function.name" },
    {
      path: "/v1/chat/completions",
      body: { model: "gpt-test", messages: [user("x")], tools: [{ type: "function", function: { name: "fs.write" } }] },
      want: "tools.0.function.name: string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
    },
    {
      path: "/v1/chat/completions",
      body: { model: "gpt-test", messages: [user("x")], tools: [{ type: "function", function: { name: "t".repeat(65) } }] },
      want: "tools.0.function.name: string too long",
    },
    {
      path: "/v1/chat/completions",
      body: { model: "gpt-test", messages: [user("x"), { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "cmd.run", arguments: "{}" } }] }] },
      want: "messages.1.tool_calls.0.function.name: string does not match pattern",
    },
    { path: "/v1/chat/completions", body: { model: "gpt-test", messages: [user("x")], tool_choice: { type: "function", function: { name: "fs.write" } } }, want: "tool_choice" },
    { path: "/v1/messages", body: { model: "claude-test", messages: [user("x")] }, want: "max_tokens" },
    {
      path: "/v1/messages",
      body: { model: "claude-test", max_tokens: 5, messages: [user("x")], tools: [{ name: "mcp:github.get_file", input_schema: { type: "object" } }] },
      want: "tools.0.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
    },
    {
      path: "/v1/messages",
      body: { model: "claude-test", max_tokens: 5, messages: [user("x"), { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "fs.read", input: {} }] }] },
      want: "messages.1.content.0.name: String should match pattern",
    },
    { path: "/v1/messages", body: { model: "claude-test", max_tokens: 5, messages: [user("x")], tool_choice: { type: "tool", name: "a".repeat(65) } }, want: "tool_choice.name: String should match pattern" },
    {
      path: "/v1/messages",
      body: { model: "claude-test", max_tokens: 5, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_x", content: "r" }] }] },
      want: "messages.0.content.0.tool_use_id: unexpected tool_use_id",
    },
    { path: "/v1/messages", body: { model: "claude-test", max_tokens: 5, messages: [{ role: "user", content: [{ type: "text" }] }] }, want: "messages.0.content" },
  ])("answers 400 naming the problem: $want", async ({ path, body, want }) => {
    await start();
    const res = await post(path, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { message: string; type: string } };
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message).toContain(want);
  });

  it("logs requests for GET /_scripted/requests and loads scripts with POST /_scripted/script", async () => {
    await start();
    await post("/v1/chat/completions", { model: "gpt-test", messages: [user("x")] }, { "x-aegis-execution": "log-1" });
    const log = (await (await fetch(`${server?.url}/_scripted/requests?conversation=log-1`)).json()) as { requests: Record<string, unknown>[] };
    expect(log.requests).toEqual([
      expect.objectContaining({ seq: 1, api: "openai", model: "gpt-test", conversation: "log-1", status: 200, outcome: "turn", turnIndex: 0, body: { model: "gpt-test", messages: [user("x")] } }),
    ]);

    const bad = await post("/_scripted/script", "models: { m: [ { text: 1 } ] }");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("models.m.0.text");
    const good = await post("/_scripted/script", "models:\n  m:\n    - text: reloaded\n");
    expect(await good.json()).toEqual({ models: ["m"] });
    const res = await post("/v1/chat/completions", { model: "m", messages: [user("x")] });
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: "reloaded" } }] });
    expect((await fetch(`${server?.url}/nowhere`)).status).toBe(404);
  });
});
