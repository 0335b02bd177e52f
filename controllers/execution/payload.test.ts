import { describe, expect, it } from "vitest";
import { createCredentialRegistry } from "../../src/gateway/credentials.ts";
import { grantIteration } from "./grant.ts";
import { DEFAULT_TASK, iterationPayload } from "./payload.ts";
import { noRecord, type ExecutionRecord } from "./record.ts";
import { readAgent } from "./spec.ts";

const agent = (over: Record<string, unknown> = {}) => readAgent("coder", {
  runtime: { model: "smart" },
  task: { instruction: "You write code.", promptTemplate: "Build {{input.feature}}.{{#if feedback}} Rejected: {{feedback}}{{/if}}", inputData: { feature: "x", lang: "py" } },
  tools: ["fs.*"],
  ...over,
}, { image: "img", conditions: [{ type: "Ready", status: "True" }] });

describe("iterationPayload", () => {
  it("renders the template over the merged input; offers only the declared builtin tools", () => {
    const p = iterationPayload(agent(), { feature: "slugify" }, undefined);
    expect(p).toMatchObject({ systemPrompt: "You write code.", task: "Build slugify.", input: { feature: "slugify", lang: "py" } });
    expect(p.tools.map((t) => t.name)).toContain("fs.write");
    expect(p.tools.map((t) => t.name)).not.toContain("cmd.run");
    expect(p.previousOutput).toBeUndefined();
  });

  it("carries the refinement into the template and the payload", () => {
    const p = iterationPayload(agent(), undefined, { previousOutput: "v1", feedback: "Regex (score 0.00): no DONE" });
    expect(p.task).toBe("Build x. Rejected: Regex (score 0.00): no DONE");
    expect([p.previousOutput, p.feedback]).toEqual(["v1", "Regex (score 0.00): no DONE"]);
  });

  it("without a template (or one rendering empty) the task says to follow the instructions", () => {
    expect(iterationPayload(agent({ task: { instruction: "i" } }), undefined, undefined).task).toBe(DEFAULT_TASK);
    expect(iterationPayload(agent({ task: { instruction: "i", promptTemplate: "{{missing}}" } }), undefined, undefined).task).toBe(DEFAULT_TASK);
  });
});

describe("grantIteration", () => {
  const execution = { metadata: { name: "run", namespace: "ns", uid: "uid-1" } };
  const token = { name: "run-token", token: "0123456789abcdef0123" };
  const status = { phase: "Refining" as const, iteration: 1, iterations: [{ number: 1, phase: "Failed" as const, feedback: "from status" }] };

  it("registers the iteration once, with the history's refinement when there is one", async () => {
    const credentials = createCredentialRegistry();
    let reads = 0;
    const record: ExecutionRecord = { ...noRecord, refinementFor: () => (reads++, Promise.resolve({ previousOutput: "out-1", feedback: "from history" })) };
    await grantIteration(credentials, record, { execution, spec: {}, status, agent: agent(), iteration: 2, token });
    await grantIteration(credentials, record, { execution, spec: {}, status, agent: agent(), iteration: 2, token });
    expect(reads).toBe(1);
    const found = credentials.lookup(token.token);
    expect(found.status === 200 && found.grant).toMatchObject({ execution: "run", iteration: 2, model: "smart", agentTools: ["fs.*"], payload: { feedback: "from history", previousOutput: "out-1" } });
  });

  it("without history, the status summary's feedback refines the next iteration", async () => {
    const credentials = createCredentialRegistry();
    await grantIteration(credentials, noRecord, { execution, spec: {}, status, agent: agent(), iteration: 2, token });
    const found = credentials.lookup(token.token);
    expect(found.status === 200 && found.grant.payload.feedback).toBe("from status");
  });
});
