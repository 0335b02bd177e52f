// The shapes the validators share: what an iteration produced, what a judge answers, what each
// validator and the whole chain report back to the Execution controller.
import type { Validator } from "../api/generated/common.ts";

export type { Validator };
export type ValidatorType = Validator["type"];

/** One iteration's result, as the controller collected it from the pod. */
export interface IterationResult {
  /** The process exit code; null when the pod ended without one (killed, timed out). */
  exitCode: number | null;
  /** The agent's final answer (the runtime's final message). */
  output: string;
  /** Container stdout and stderr, for Regex `target: Stdout | Stderr`. */
  stdout?: string;
  stderr?: string;
  /** Files the iteration wrote (path → content), if the controller collected them. */
  files?: Record<string, string>;
}

/** What a judge is asked. `judgeAgent` names the judge Agent; `model` a bare model alias. */
export interface JudgeRequest {
  judgeAgent?: string;
  model?: string;
  criteria: string;
  output: string;
  /** The agent's task, so the judge grades against what was asked. */
  task?: string;
  /** The judge's Handlebars input template (MultiJudge `judges[].inputTemplate`), if any. */
  inputTemplate?: string;
  /** Aborted when the validator's timeout passes; implementations should stop their call. */
  signal?: AbortSignal;
}

/** A judge's verdict; both numbers must be finite and within [0, 1]. */
export interface JudgeVerdict {
  score: number;
  confidence: number;
  reasoning: string;
}

/** The model-backed side of validation; the gateway-backed implementation lives elsewhere. */
export interface Judge {
  judge(request: JudgeRequest): Promise<JudgeVerdict>;
}

/** One validator's outcome. */
export interface ValidatorResult {
  type: ValidatorType;
  passed: boolean;
  /** 0–1. */
  score: number;
  /** 0–1; deterministic validators are fully confident (1), errors are 0. */
  confidence: number;
  /** What to fix, for the next iteration; at most MAX_FEEDBACK characters, empty when passed. */
  feedback: string;
  /** Set when the validator could not judge (bad pattern or schema, judge failure, timeout). */
  error?: string;
  /** Small, JSON-serialisable facts about the verdict (per-judge scores, ajv errors, …). */
  details: Record<string, unknown>;
}

/** Context every validator may need besides the iteration result. */
export interface ValidationContext {
  judge: Judge;
  /** The agent's task, passed on to judges. */
  task?: string;
}
