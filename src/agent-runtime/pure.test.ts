// Pure pieces of the runtime: config, messages, argument parsing, completion parsing.
import { describe, expect, it } from "vitest";
import { parseCompletion } from "./chat-wire.ts";
import { loadConfig } from "./config.ts";
import { buildInitialMessages } from "./messages.ts";
import { parseArguments, planToolCall } from "./tool-calls.ts";

const base = { AEGIS_GATEWAY_URL: "http://127.0.0.1:8080/", AEGIS_EXECUTION_TOKEN: "t", AEGIS_EXECUTION: "e", AEGIS_NAMESPACE: "n", AEGIS_ITERATION: "2" };

describe("loadConfig", () => {
  it("applies the defaults", () => {
    expect(loadConfig(base)).toEqual({ ok: true, config: { gatewayUrl: "http://127.0.0.1:8080", token: "t", execution: "e", namespace: "n", iteration: 2, workspace: "/workspace", maxToolRounds: 50, iterationTimeoutMs: 3_600_000, gatewayRetryWindowMs: 60_000, logLevel: "info" } });
  });
  it("resolves the workspace under the local node's pod root", () => {
    const r = loadConfig({ ...base, AEGIS_POD_ROOT: "/home/x/pods/u/root" });
    expect(r.ok && r.config.workspace).toBe("/home/x/pods/u/root/workspace");
  });
  it("SEAL: the service-account token file, under the local node's pod root", () => {
    const r = loadConfig({ ...base, AEGIS_SA_TOKEN_FILE: "/var/run/secrets/aegis.dev/seal/token", AEGIS_POD_ROOT: "/home/x/pods/u/root" });
    expect(r.ok && r.config.saTokenFile).toBe("/home/x/pods/u/root/var/run/secrets/aegis.dev/seal/token");
    expect(loadConfig({ ...base, AEGIS_SA_TOKEN_FILE: "token" }).ok).toBe(false);
  });
  it.each([
    { reason: "a non-http URL", env: { AEGIS_GATEWAY_URL: "ftp://x" }, want: "AEGIS_GATEWAY_URL" },
    { reason: "zero rounds", env: { AEGIS_MAX_TOOL_ROUNDS: "0" }, want: "AEGIS_MAX_TOOL_ROUNDS" },
    { reason: "a non-numeric timeout", env: { AEGIS_ITERATION_TIMEOUT: "10s" }, want: "AEGIS_ITERATION_TIMEOUT" },
    { reason: "a relative workspace", env: { AEGIS_WORKSPACE: "ws" }, want: "AEGIS_WORKSPACE" },
    { reason: "an empty token", env: { AEGIS_EXECUTION_TOKEN: "" }, want: "AEGIS_EXECUTION_TOKEN: is required" },
  ])("refuses $reason", ({ env, want }) => {
    const result = loadConfig({ ...base, ...env });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).toContain(want);
  });
  it("reports every problem at once", () => {
    const result = loadConfig({ AEGIS_MAX_TOOL_ROUNDS: "-1" });
    expect(result.ok ? [] : result.problems).toHaveLength(6);
  });
});

describe("buildInitialMessages", () => {
  const info = { execution: "e", namespace: "n", iteration: 2, model: "m", systemPrompt: "SYS", task: "Write x.", tools: [] };
  it("sends the system prompt, the task and the input", () => {
    expect(buildInitialMessages({ ...info, input: { n: 1 } })).toEqual([
      { role: "system", content: "SYS" },
      { role: "user", content: '# Task\n\nWrite x.\n\n# Input\n\n{\n  "n": 1\n}' },
    ]);
  });
  it("adds the previous output and the feedback on a refinement", () => {
    const [, user] = buildInitialMessages({ ...info, previousOutput: "old answer", feedback: "regex /ok/ did not match" });
    expect(user?.content).toContain("# Your previous output\n\nold answer");
    expect(user?.content).toContain("# Feedback on the previous output\n\nregex /ok/ did not match");
  });
});

describe("parseArguments / planToolCall", () => {
  it.each([
    { reason: "JSON object", raw: '{"a":1}', want: { ok: true, value: { a: 1 } } },
    { reason: "empty string", raw: "", want: { ok: true, value: {} } },
    { reason: "an object already", raw: { a: 1 }, want: { ok: true, value: { a: 1 } } },
    { reason: "truncated JSON", raw: '{"a', want: { ok: false, message: expect.stringContaining("not valid JSON") } },
    { reason: "an array", raw: "[1]", want: { ok: false, message: "arguments must be a JSON object, got array" } },
    { reason: "a number", raw: 3, want: { ok: false, message: "arguments must be a JSON object, got number" } },
  ])("$reason", ({ raw, want }) => {
    expect(parseArguments(raw)).toEqual(want);
  });
  it("gives a garbage call an id and an empty name", () => {
    expect(planToolCall(42, "call_x").call).toEqual({ id: "call_x", type: "function", function: { name: "", arguments: "" } });
  });
});

describe("parseCompletion", () => {
  it("reads text, finish reason and tool calls", () => {
    expect(parseCompletion({ choices: [{ finish_reason: "tool_calls", message: { content: null, tool_calls: [{ id: "a" }] } }] })).toEqual({ ok: true, turn: { text: "", finishReason: "tool_calls", toolCalls: [{ id: "a" }] } });
  });
  it("refuses what is not a completion", () => {
    expect(parseCompletion({ error: "x" })).toMatchObject({ ok: false, message: expect.stringContaining("choices") });
  });
});
