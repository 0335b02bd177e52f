/**
 * Scoring one finished iteration: its exit code and output through `runValidators`. The output
 * comes from a pluggable OutputSource (history's IterationOutput event when a store is wired,
 * else the pod's termination message); the Judge is injected, and until the gateway judge lands
 * the default one fails semantic validators with a clear message.
 */
import type { HistoryStore } from "../../src/history/index.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { runValidators, type Judge, type Validator, type ValidatorResult } from "../../src/validators/index.ts";
import { truncateMiddle } from "../../src/validators/text.ts";
import { CONTAINER_NAME } from "./desired.ts";
import type { Validation } from "./phase.ts";
import type { AgentView } from "./spec.ts";

export interface IterationOutput {
  readonly output: string;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** Where an iteration's final output is read from. */
export interface OutputSource {
  outputOf(execution: KubeObject, iteration: number, pod: KubeObject | undefined): Promise<IterationOutput>;
}

export const NO_JUDGE_MESSAGE = "no judge configured: Semantic and MultiJudge validators need the gateway judge";

export const noJudge: Judge = {
  judge: () => Promise.reject(new Error(NO_JUDGE_MESSAGE)),
};

/** The agent container's termination message (the local node and kubelets fill it from the log tail on error). */
export const terminationMessageSource: OutputSource = {
  outputOf: (_execution, _iteration, pod) => {
    const statuses = (pod?.status as { containerStatuses?: { name?: string; state?: { terminated?: { message?: unknown } } }[] } | undefined)?.containerStatuses;
    const message = statuses?.find((s) => s.name === CONTAINER_NAME)?.state?.terminated?.message;
    return Promise.resolve({ output: typeof message === "string" ? message : "" });
  },
};

/** The IterationOutput event of the iteration (execution-loop.md), else `fallback`. */
export function historyOutputSource(history: Pick<HistoryStore, "eventsOf">, fallback: OutputSource = terminationMessageSource): OutputSource {
  return {
    async outputOf(execution, iteration, pod) {
      const uid = execution.metadata.uid;
      if (uid !== undefined) {
        const events = await history.eventsOf(uid);
        const event = events.findLast((e) => e.type === "IterationOutput" && e.iteration === iteration);
        const output = (event?.payload as { output?: unknown } | null | undefined)?.output;
        if (typeof output === "string") return { output };
      }
      return fallback.outputOf(execution, iteration, pod);
    },
  };
}

/** Characters of an iteration's output kept for the next iteration's refinement. */
export const MAX_PREVIOUS_OUTPUT = 4096;

/** The validators' verdict, and the refinement the next iteration gets when it failed. */
export interface Scored {
  readonly validation: Validation;
  /** The failing validators, one paragraph each ("" when passed). */
  readonly feedback: string;
  /** The output, middle-truncated for the next prompt. */
  readonly previousOutput: string;
  /** Each validator's verdict (for metrics). */
  readonly results: readonly ValidatorResult[];
}

/** Pure: the failing validators as the model reads them. */
export function feedbackFor(results: readonly ValidatorResult[]): string {
  return results.filter((r) => !r.passed)
    .map((r) => `${r.type} (score ${r.score.toFixed(2)}): ${r.feedback || r.error || "failed without details"}`)
    .join("\n\n");
}

export async function validateIteration(agent: AgentView, exitCode: number | null, out: IterationOutput, judge: Judge): Promise<Scored> {
  const chain = await runValidators(agent.validation as Validator[], { exitCode, ...out }, { judge, task: agent.instruction });
  return {
    validation: { passed: chain.passed, score: chain.score, confidence: chain.confidence, feedback: chain.feedback },
    feedback: feedbackFor(chain.results),
    previousOutput: truncateMiddle(out.output, MAX_PREVIOUS_OUTPUT),
    results: chain.results,
  };
}
