// Every validator kind, passing and failing, as the Execution controller runs them: the chain
// over an iteration's exit code and output, with the gateway's judge calling a real (scripted)
// model server over HTTP for Semantic and MultiJudge — a judge below its confidence threshold
// included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayJudge } from "../../src/gateway/judge.ts";
import { createModelResolver, type NodeConfigLike } from "../../src/gateway/resolve.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/server.ts";
import type { Judge } from "../../src/validators/index.ts";
import { readAgent } from "./spec.ts";
import { feedbackFor, validateIteration } from "./validate.ts";

const KEY = "sk-validate-test";
const verdict = (score: number, confidence: number) => ({ text: JSON.stringify({ score, confidence, reasoning: `scored ${score}` }) });
const always = (turn: object) => Array.from({ length: 20 }, () => turn);
let model: ScriptedModelServer;
let judge: Judge;

beforeAll(async () => {
  model = await startScriptedModelServer({
    apiKey: KEY,
    script: { models: { "m-good": always(verdict(0.9, 0.9)), "m-bad": always(verdict(0.2, 0.9)), "m-unsure": always(verdict(0.9, 0.3)) } },
  });
  const nodeConfig: NodeConfigLike = {
    metadata: { name: "orchestrator" },
    spec: {
      type: "Orchestrator",
      llmProviders: [{
        name: "scripted", type: "openai", endpoint: model.url, apiKeySecretRef: { namespace: "aegis-system", name: "keys", key: "k" },
        models: [{ alias: "good", model: "m-good" }, { alias: "bad", model: "m-bad" }, { alias: "unsure", model: "m-unsure" }],
      }],
    },
  };
  const resolver = createModelResolver({ nodeConfigs: () => [nodeConfig], readSecret: () => Promise.resolve(KEY) });
  // Judge Agents named after the alias they think with.
  judge = createGatewayJudge({ resolver, judgeModelOf: (agent) => Promise.resolve(agent.replace(/-judge$/, "")) });
});

afterAll(async () => {
  await model?.stop();
});

const agentWith = (validation: unknown[]) => readAgent("a", { runtime: {}, task: { instruction: "Answer." }, execution: { validation } }, {});
const run = (validation: unknown[], exitCode: number | null, output: string) => validateIteration(agentWith(validation), exitCode, { output }, judge);

describe("every validator kind through the controller's validation step", () => {
  it.each([
    ["ExitCode", [{ type: "ExitCode", expected: 0 }], 0, "x", true],
    ["ExitCode", [{ type: "ExitCode", expected: 0 }], 2, "x", false],
    ["ExitCode (killed, no code)", [{ type: "ExitCode", expected: 0 }], null, "x", false],
    ["Regex", [{ type: "Regex", target: "Output", pattern: "^[0-9]+ passed$" }], 0, "12 passed", true],
    ["Regex", [{ type: "Regex", target: "Output", pattern: "^[0-9]+ passed$" }], 0, "1 failed", false],
    ["JSONSchema", [{ type: "JSONSchema", schema: { type: "object", required: ["ok"], properties: { ok: { const: true } } } }], 0, "```json\n{\"ok\": true}\n```", true],
    ["JSONSchema", [{ type: "JSONSchema", schema: { type: "object", required: ["ok"] } }], 0, "{\"nope\": 1}", false],
    ["Semantic", [{ type: "Semantic", judgeAgent: "good-judge", criteria: "Correct.", minScore: 0.8 }], 0, "answer", true],
    ["Semantic (score below minScore)", [{ type: "Semantic", judgeAgent: "bad-judge", criteria: "Correct.", minScore: 0.8 }], 0, "answer", false],
    ["Semantic (confidence below minConfidence)", [{ type: "Semantic", judgeAgent: "unsure-judge", criteria: "Correct.", minScore: 0.8, minConfidence: 0.7 }], 0, "answer", false],
    ["MultiJudge", [{ type: "MultiJudge", criteria: "Correct.", minScore: 0.8, judges: [{ agent: "good-judge" }, { agent: "good-judge", weight: 2 }] }], 0, "answer", true],
    ["MultiJudge (Unanimous with a dissent)", [{ type: "MultiJudge", criteria: "Correct.", minScore: 0.8, consensus: "Unanimous", judges: [{ agent: "good-judge" }, { agent: "bad-judge" }] }], 0, "answer", false],
  ])("%s → passed %s", async (_name, validation, exitCode, output, passed) => {
    const scored = await run(validation, exitCode, output);
    expect(scored.validation.passed).toBe(passed);
    expect(scored.feedback === "").toBe(passed);
    if (!passed) expect(scored.validation.feedback).not.toBe("");
  });

  it("a judge below its confidence threshold says so in the feedback the next iteration gets", async () => {
    const scored = await run([{ type: "Semantic", judgeAgent: "unsure-judge", criteria: "Correct.", minScore: 0.5, minConfidence: 0.7 }], 0, "answer");
    expect(scored.validation).toMatchObject({ passed: false, score: 0.9, confidence: 0.3 });
    expect(scored.feedback).toMatch(/^Semantic \(score 0\.90\): .*confidence/i);
  });

  it("the chain stops at the first failure; feedbackFor lists only failing validators", async () => {
    const scored = await run([{ type: "ExitCode", expected: 0 }, { type: "Regex", target: "Output", pattern: "DONE" }], 0, "not yet");
    expect(scored.feedback).toMatch(/^Regex \(score 0\.00\): /);
    expect(feedbackFor([{ type: "ExitCode", passed: true, score: 1, confidence: 1, feedback: "", details: {} }])).toBe("");
  });
});
