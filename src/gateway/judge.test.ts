// The gateway-backed judge against the scripted model server over HTTP, in both wire formats.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModelServer, type ScriptedModelServer } from "../model-server/server.ts";
import { createGatewayJudge, type GatewayJudgeOptions, type JudgeUsage } from "./judge.ts";
import { judgeMessages, parseVerdict, renderInputTemplate } from "./judge-prompt.ts";
import { createModelResolver, type NodeConfigLike } from "./resolve.ts";

const VERDICT = '{"score": 0.9, "confidence": 0.8, "reasoning": "meets the criteria"}';
let model: ScriptedModelServer;
let hanging: Server;
let hangingUrl = "";
const arrived: (() => void)[] = [];

beforeAll(async () => {
  model = await startScriptedModelServer({
    script: {
      models: {
        "gpt-judge": [{ text: `Here is my verdict:\n\`\`\`json\n${VERDICT}\n\`\`\``, usage: { input: 100, output: 20 } }],
        "claude-judge": [{ text: VERDICT }],
        "gpt-garbage": [{ text: "I like it a lot." }],
        "gpt-flaky": [{ text: VERDICT, faults: [{ status: 500, times: 1 }] }],
        "gpt-default": [{ text: VERDICT }],
      },
    },
  });
  // A provider that never answers and says when a request arrived: an abort in flight, without sleeps.
  hanging = createServer(() => arrived.shift()?.());
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await model.stop();
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
});

function nodeConfig(): NodeConfigLike {
  const openai = (alias: string, m: string): { alias: string; model: string; costPer1kTokens: number } => ({ alias, model: m, costPer1kTokens: 0.002 });
  return {
    metadata: { name: "orchestrator" },
    spec: {
      type: "Orchestrator",
      llmSelection: { maxRetries: 2, retryDelay: "0ms", timeout: "5s" },
      llmProviders: [
        { name: "openai", type: "openai", endpoint: model.url, models: [openai("grader", "gpt-judge"), openai("garbage", "gpt-garbage"), openai("flaky", "gpt-flaky"), openai("default", "gpt-default")] },
        { name: "anthropic", type: "anthropic", endpoint: model.url, models: [{ alias: "claude-grader", model: "claude-judge" }] },
        { name: "stuck", type: "openai-compatible", endpoint: hangingUrl, models: [{ alias: "stuck", model: "any" }] },
      ],
    },
  };
}

const AGENT_MODELS: Record<string, string> = { "quality-judge": "grader", "claude-judge": "claude-grader", "garbage-judge": "garbage", "flaky-judge": "flaky", "stuck-judge": "stuck", "missing-judge": "nowhere" };

function judge(extra: Partial<GatewayJudgeOptions> = {}): ReturnType<typeof createGatewayJudge> {
  return createGatewayJudge({
    resolver: createModelResolver({ nodeConfigs: () => [nodeConfig()], readSecret: () => Promise.resolve(undefined) }),
    judgeModelOf: (agent) => Promise.resolve(AGENT_MODELS[agent]),
    ...extra,
  });
}

const lastBody = (m: string): Record<string, unknown> => model.requests({ model: m }).at(-1)?.body as Record<string, unknown>;

describe("gateway judge over HTTP", () => {
  it("OpenAI format: asks with criteria, task and output, parses a fenced verdict, accounts usage", async () => {
    const usage: JudgeUsage[] = [];
    const verdict = await judge({ onUsage: (u) => usage.push(u) }).judge({ judgeAgent: "quality-judge", criteria: "is polite", task: "greet", output: "Hello there" });
    expect(verdict).toEqual({ score: 0.9, confidence: 0.8, reasoning: "meets the criteria" });
    expect(usage).toEqual([{ judgeAgent: "quality-judge", alias: "grader", provider: "openai", model: "gpt-judge", tokensIn: 100, tokensOut: 20, costUsd: 0.00024 }]);
    const prompt = JSON.stringify(lastBody("gpt-judge")["messages"]);
    for (const part of ["is polite", "greet", "Hello there", "score"]) expect(prompt).toContain(part);
  });

  it("Anthropic format: renders the inputTemplate and parses a plain verdict", async () => {
    const verdict = await judge().judge({ judgeAgent: "claude-judge", criteria: "short", output: "tiny answer", inputTemplate: "Review this: {{output}} (task {{ task }})" });
    expect(verdict.score).toBe(0.9);
    const logged = model.requests({ model: "claude-judge" }).at(-1);
    expect(logged?.api).toBe("anthropic");
    expect(JSON.stringify(logged?.body)).toContain("Review this: tiny answer (task )");
  });

  it("an answer without a verdict is an Error naming the judge and quoting the answer", async () => {
    await expect(judge().judge({ judgeAgent: "garbage-judge", criteria: "c", output: "o1" })).rejects.toThrow(/judge garbage-judge \(openai\/gpt-garbage\): .*no JSON verdict.*I like it a lot/);
  });

  it("retries a provider 500, then answers", async () => {
    const retries: unknown[] = [];
    const verdict = await judge({ log: { warn: (fields) => retries.push(fields) } }).judge({ judgeAgent: "flaky-judge", criteria: "c", output: "o2" });
    expect(verdict.confidence).toBe(0.8);
    expect(model.requests({ model: "gpt-flaky" }).map((r) => r.status)).toEqual([500, 200]);
    expect(retries).toEqual([expect.objectContaining({ judgeAgent: "flaky-judge", status: 500, attempt: 1 })]);
  });

  it("falls back to the default aliases in order, but never past an alias the judge Agent names", async () => {
    expect((await judge().judge({ judgeAgent: "unknown-agent", criteria: "c", output: "o3" })).score).toBe(0.9);
    expect(model.requests({ model: "gpt-default" })).toHaveLength(1);
    await expect(judge().judge({ judgeAgent: "missing-judge", criteria: "c", output: "o4" })).rejects.toThrow(/model alias "nowhere"/);
    await expect(judge({ defaultAlias: "judge" }).judge({ criteria: "c", output: "o5" })).rejects.toThrow(/model alias "judge"/);
  });

  it("an already aborted signal sends nothing", async () => {
    const before = model.requests().length;
    await expect(judge().judge({ judgeAgent: "quality-judge", criteria: "c", output: "o6", signal: AbortSignal.abort() })).rejects.toThrow();
    expect(model.requests()).toHaveLength(before);
  });

  it("an abort in flight ends the call at once", async () => {
    const controller = new AbortController();
    arrived.push(() => controller.abort());
    await expect(judge().judge({ judgeAgent: "stuck-judge", criteria: "c", output: "o7", signal: controller.signal })).rejects.toThrow(/aborted/);
  });
});

describe("judge prompt and verdict (pure)", () => {
  it.each([
    [VERDICT, 0.9],
    [`Sure! ${VERDICT} Hope that helps.`, 0.9],
    ['{"score": "0.5", "confidence": 1}', 0.5],
  ])("parses %s", (text, score) => expect(parseVerdict(text).score).toBe(score));

  it.each([
    ["", /no JSON verdict/],
    ["[1, 2]", /no JSON verdict/],
    ['{"score": 0.5}', /numeric "score" and "confidence"/],
    ['{"score": "high", "confidence": 1}', /numeric/],
  ])("rejects %j", (text, error) => expect(() => parseVerdict(text)).toThrow(error));

  it("renders only the documented template variables, without escaping", () => {
    expect(renderInputTemplate("{{output}}|{{{output}}}|{{criteria}}|{{#if x}}", { output: "<b>", criteria: "c" })).toBe("<b>|<b>|c|{{#if x}}");
    expect(judgeMessages({ criteria: "c", output: "o" })[1]?.content).not.toContain("Task");
  });
});
