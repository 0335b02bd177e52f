/**
 * The parts of an Execution, its Agent and its pod this controller reads, parsed so decisions
 * are total: any JSON in, a decision out. Stored objects already have this shape (the CRD
 * schemas guarantee it); garbage gets a precise InvalidSpec message.
 */
import { z } from "zod";
import { readSpecWith, type SpecReading } from "../../src/runtime/spec-reading.ts";
import { parseDuration } from "../../src/validators/duration.ts";

const executionSpec = z.object({
  agentRef: z.object({ name: z.string().min(1) }).optional(),
  workflowRef: z.object({ name: z.string() }).optional(),
  maxIterations: z.number().int().min(1).max(20).optional(),
  timeout: z.string().optional(),
  cancel: z.boolean().optional(),
  input: z.record(z.string(), z.unknown()).optional(),
});

export type ExecutionSpecView = z.infer<typeof executionSpec>;
export const readExecutionSpec = (raw: unknown): SpecReading<ExecutionSpecView> => readSpecWith(executionSpec, raw);

export const DEFAULT_MAX_ITERATIONS = 5;
/** The alias used when an Agent names none (the API's default for spec.runtime.model). */
export const DEFAULT_MODEL_ALIAS = "default";
export const DEFAULT_ITERATION_TIMEOUT_MS = 600_000;
export const DEFAULT_TIMEOUT_MS = 1_800_000;

/** What an iteration needs of its Agent, with the API's defaults applied. */
export interface AgentView {
  readonly name: string;
  readonly ready: boolean;
  /** Why it is not ready (the Agent's Ready message), when it is not. */
  readonly notReadyMessage: string;
  /** status.image: the resolved runtime image. */
  readonly image: string | undefined;
  readonly imagePullPolicy: string | undefined;
  readonly mode: "OneShot" | "Iterative";
  readonly maxIterations: number;
  readonly timeoutMs: number;
  readonly iterationTimeoutMs: number;
  readonly instruction: string;
  /** spec.task.promptTemplate: the user prompt of each iteration. */
  readonly promptTemplate: string | undefined;
  /** spec.task.inputData: default input, under the Execution's spec.input. */
  readonly inputData: Record<string, unknown> | undefined;
  /** spec.runtime.model: the model alias the gateway resolves. */
  readonly model: string;
  /** spec.tools: the tool patterns the agent may call. */
  readonly tools: readonly string[];
  readonly validation: readonly unknown[];
  readonly tags: readonly string[];
  readonly resources: Record<string, unknown> | undefined;
  readonly env: readonly Record<string, unknown>[];
}

const agentSpec = z.object({
  runtime: z.object({ imagePullPolicy: z.string().optional(), model: z.string().optional() }).passthrough(),
  task: z.object({ instruction: z.string(), promptTemplate: z.string().optional(), inputData: z.record(z.string(), z.unknown()).optional() }).passthrough(),
  tools: z.array(z.string()).optional(),
  execution: z.object({
    mode: z.enum(["OneShot", "Iterative"]).optional(),
    maxIterations: z.number().int().min(1).max(20).optional(),
    timeout: z.string().optional(),
    iterationTimeout: z.string().optional(),
    validation: z.array(z.unknown()).optional(),
  }).passthrough().optional(),
  placement: z.object({ tags: z.array(z.string()).optional() }).optional(),
  resources: z.record(z.string(), z.unknown()).optional(),
  env: z.array(z.record(z.string(), z.unknown())).optional(),
}).passthrough();

const agentStatus = z.object({
  image: z.string().optional(),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), message: z.string().optional() }).passthrough()).optional(),
}).passthrough();

const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text) ?? fallback);

/** The Agent as this controller sees it; an unreadable Agent is a not-ready one. */
export function readAgent(name: string, rawSpec: unknown, rawStatus: unknown): AgentView {
  const spec = agentSpec.safeParse(rawSpec);
  const status = agentStatus.safeParse(rawStatus ?? {});
  const ready = status.success ? status.data.conditions?.find((c) => c.type === "Ready") : undefined;
  const image = status.success ? status.data.image : undefined;
  const s = spec.success ? spec.data : undefined;
  const isReady = s !== undefined && ready?.status === "True" && image !== undefined && image !== "";
  const why = !spec.success ? "the Agent's spec is unreadable"
    : ready?.status !== "True" ? `Agent ${name} is not Ready${ready?.message ? `: ${ready.message}` : ""}`
      : `Agent ${name} has no resolved image (status.image)`;
  return {
    name,
    ready: isReady,
    notReadyMessage: isReady ? "" : why,
    image,
    imagePullPolicy: s?.runtime.imagePullPolicy,
    mode: s?.execution?.mode ?? "OneShot",
    maxIterations: s?.execution?.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    timeoutMs: ms(s?.execution?.timeout, DEFAULT_TIMEOUT_MS),
    iterationTimeoutMs: ms(s?.execution?.iterationTimeout, DEFAULT_ITERATION_TIMEOUT_MS),
    instruction: s?.task.instruction ?? "",
    promptTemplate: s?.task.promptTemplate,
    inputData: s?.task.inputData,
    model: s?.runtime.model ?? DEFAULT_MODEL_ALIAS,
    tools: s?.tools ?? [],
    validation: s?.execution?.validation ?? [],
    tags: s?.placement?.tags ?? [],
    resources: s?.resources,
    env: s?.env ?? [],
  };
}

/** Iterations this run may use: spec.maxIterations, else the agent's (OneShot agents: 1). */
export const maxIterationsOf = (spec: ExecutionSpecView, agent: AgentView | undefined): number =>
  spec.maxIterations ?? (agent === undefined ? DEFAULT_MAX_ITERATIONS : agent.mode === "Iterative" ? agent.maxIterations : 1);

/** The overall limit in ms: spec.timeout, else the agent's. */
export const timeoutOf = (spec: ExecutionSpecView, agent: AgentView | undefined): number =>
  ms(spec.timeout, agent?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
