import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "./providers/types.ts";
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from "./retry.ts";
import { selectModel, turnCost } from "./resolve.ts";
import { fromAnthropicBody, fromAnthropicResponse, toAnthropicBody } from "./translate-anthropic.ts";
import { parseDurationMs } from "./duration.ts";

const text = fc.string({ minLength: 1, maxLength: 20 });
const id = fc.stringMatching(/^toolu_[a-z0-9]{4,8}$/);
const args = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 });

/** A conversation as an agent builds it: system, user, then rounds of assistant (tool calls) + tool answers. */
const conversation = fc
  .tuple(
    text,
    text,
    fc.array(
      fc.tuple(fc.option(text, { nil: null }), fc.uniqueArray(fc.tuple(id, fc.stringMatching(/^[a-z]{1,5}\.[a-z]{1,5}$/), args), { minLength: 1, maxLength: 3, selector: (c) => c[0] }), fc.array(text, { minLength: 3, maxLength: 3 })),
      { maxLength: 3 },
    ),
    fc.option(text, { nil: undefined }),
  )
  .map(([system, user, rounds, final]) => {
    const messages: ChatMessage[] = [{ role: "system", content: system }, { role: "user", content: user }];
    for (const [say, calls, answers] of rounds) {
      messages.push({ role: "assistant", content: say, toolCalls: calls.map(([cid, name, a]) => ({ id: cid, name, arguments: JSON.stringify(a) })) });
      calls.forEach(([cid], k) => messages.push({ role: "tool", content: answers[k] ?? "", toolCallId: cid }));
    }
    if (final !== undefined) messages.push({ role: "assistant", content: final });
    return messages;
  });

describe("OpenAI ↔ Anthropic translation", () => {
  it("round-trips conversations: system prompt, tool_use and tool_result blocks", () => {
    fc.assert(fc.property(conversation, (messages) => {
      const body = toAnthropicBody({ model: "m", messages, tools: [] });
      expect(fromAnthropicBody(body)).toEqual(messages);
      // Anthropic's rule: tool results follow the assistant message with the tool_use blocks.
      for (const m of body["messages"] as { role: string }[]) expect(["user", "assistant"]).toContain(m.role);
    }));
  });

  it("maps stop reasons and usage from Anthropic answers", () => {
    const r = fromAnthropicResponse({
      content: [{ type: "text", text: "a" }, { type: "tool_use", id: "t1", name: "fs.read", input: { path: "x" } }],
      stop_reason: "tool_use", usage: { input_tokens: 7, output_tokens: 3 },
    });
    expect(r).toEqual({ text: "a", toolCalls: [{ id: "t1", name: "fs.read", arguments: '{"path":"x"}' }], finish: "tool_calls", usage: { input: 7, output: 3 } });
    expect(fromAnthropicResponse({ content: [], stop_reason: "max_tokens" }).finish).toBe("length");
  });
});

describe("retry schedule", () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  it("retries 429 and 5xx only", () => {
    expect([429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });
  it("backs off exponentially with jitter, capped, never below Retry-After", () => {
    fc.assert(fc.property(fc.nat(40), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.nat(5000), { nil: undefined }), (n, r, after) => {
      const d = retryDelayMs(policy, n, after, r);
      const exp = Math.min(1000, 100 * 2 ** n);
      expect(d).toBeLessThanOrEqual(1000);
      expect(d).toBeGreaterThanOrEqual(Math.min(1000, Math.max(Math.floor(exp / 2), after ?? 0)));
    }));
  });
  it("reads Retry-After seconds and dates", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
  });
  it("parses durations", () => {
    expect(parseDurationMs("1m30s", 0)).toBe(90_000);
    expect(parseDurationMs("250ms", 0)).toBe(250);
    expect(parseDurationMs("x", 7)).toBe(7);
  });
});

describe("alias resolution", () => {
  const nc = (strategy: string) => ({
    metadata: { name: "orchestrator" },
    spec: {
      type: "Orchestrator",
      llmSelection: { strategy, defaultProvider: "b", maxRetries: 2, retryDelay: "10ms", timeout: "5s" },
      llmProviders: [
        { name: "a", type: "openai", apiKeySecretRef: { namespace: "s", name: "k", key: "a" }, models: [{ alias: "smart", model: "gpt", costPer1kTokens: 0.01 }] },
        { name: "b", type: "anthropic", apiKeySecretRef: { namespace: "s", name: "k", key: "b" }, models: [{ alias: "smart", model: "claude", costPer1kTokens: 0.003 }] },
        { name: "c", type: "ollama", enabled: false, models: [{ alias: "smart", model: "llama" }] },
        { name: "d", type: "gemini", models: [{ alias: "gem", model: "g" }] },
      ],
    },
  });
  it("honours the strategy and skips disabled and unsupported providers", () => {
    expect(selectModel([nc("CostOptimized")], "smart")).toMatchObject({ provider: "b", flavour: "anthropic", model: "claude", endpoint: "https://api.anthropic.com", retry: { maxRetries: 2, baseDelayMs: 10 }, timeoutMs: 5000 });
    expect(selectModel([nc("LatencyOptimized")], "smart")?.provider).toBe("b");
    expect(selectModel([nc("PreferLocal")], "gem")).toBeUndefined();
    expect(selectModel([{ spec: { ...nc("PreferLocal").spec, type: "Edge" } }], "smart")).toBeUndefined();
  });
  it("costs tokens per 1k", () => {
    expect(turnCost(0.002, 1500, 500)).toBeCloseTo(0.004);
  });
});
