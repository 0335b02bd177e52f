/**
 * Pure: what an iteration's pod is told by `GET /v1/iteration` (docs/design/execution-loop.md):
 * the instruction as system prompt, the rendered prompt template as task, the input (the agent's
 * inputData under the Execution's spec.input), the builtin tools the agent declared, and on a
 * refinement the previous output and the validators' feedback.
 */
import type { IterationPayload } from "../../src/gateway/credentials.ts";
import { builtinToolSpecs } from "../../src/gateway/tools.ts";
import { renderTemplate } from "../../src/template/render.ts";
import type { AgentView } from "./spec.ts";

/** What the previous iteration left for the next one (history event IterationValidated). */
export interface Refinement {
  readonly previousOutput: string;
  readonly feedback: string;
}

export const DEFAULT_TASK = "Carry out the instructions in the system prompt.";

export function mergedInput(agent: AgentView, input: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (agent.inputData === undefined) return input;
  return { ...agent.inputData, ...input };
}

export function iterationPayload(agent: AgentView, input: Record<string, unknown> | undefined, refinement: Refinement | undefined): IterationPayload {
  const merged = mergedInput(agent, input);
  const context = {
    input: merged, instruction: agent.instruction,
    previous_output: refinement?.previousOutput, feedback: refinement?.feedback,
  };
  const task = agent.promptTemplate === undefined ? DEFAULT_TASK : renderTemplate(agent.promptTemplate, context);
  return {
    systemPrompt: agent.instruction,
    task: task.trim() === "" ? DEFAULT_TASK : task,
    ...(merged === undefined ? {} : { input: merged }),
    ...(refinement === undefined ? {} : { previousOutput: refinement.previousOutput, feedback: refinement.feedback }),
    tools: builtinToolSpecs(agent.tools),
  };
}
