// Execution: one run of an Agent or a Workflow. Its status is the bounded live view a controller
// writes on phase changes (never per token): everything that grows lives in PostgreSQL.
import {
  array, boolean, enumOf, int64, integer, jsonObject, number, object, rule, string, timestamp,
} from "./builders.ts";
import { duration, localRef, objectName, statusOf } from "./common.ts";
import { AGE_COLUMN, type KindDefinition } from "./kind.ts";

export const EXECUTION_PHASES = ["Pending", "Running", "Validating", "Refining", "Succeeded", "Failed", "Cancelled"] as const;
export const ITERATION_PHASES = ["Running", "Validating", "Succeeded", "Failed"] as const;
/** Bounds that keep the status small whatever the run does. */
export const MAX_ITERATION_SUMMARIES = 20;
export const OUTPUT_PREVIEW_LENGTH = 4096;
export const FEEDBACK_LENGTH = 2048;

/** A transition rule: an optional field can be neither added, removed nor changed after creation. */
const immutable = (field: string): ReturnType<typeof rule> =>
  rule(`has(self.${field}) == has(oldSelf.${field}) && (!has(self.${field}) || self.${field} == oldSelf.${field})`,
    `${field} is immutable`, `.${field}`);

const iterationSummary = object("Summary of one iteration (one pod).", {
  number: integer("Iteration number, starting at 1.", { minimum: 1, maximum: 20 }),
  phase: enumOf("Running, Validating, Succeeded (validators passed) or Failed.", ITERATION_PHASES),
  podName: string("The iteration's pod, <execution>-<number>.", { maxLength: 253 }),
  exitCode: integer("Exit code of the agent process.", { minimum: 0, maximum: 255 }),
  score: number("Validation score, 0–1.", { minimum: 0, maximum: 1 }),
  confidence: number("Judge confidence, 0–1.", { minimum: 0, maximum: 1 }),
  tokens: int64("Model tokens used by this iteration (input + output).", { minimum: 0 }),
  feedback: string(`Validator feedback given to the next iteration, truncated to ${FEEDBACK_LENGTH} characters.`, {
    maxLength: FEEDBACK_LENGTH,
  }),
  startTime: timestamp("When the iteration's pod started."),
  completionTime: timestamp("When the iteration was scored."),
}, { required: ["number", "phase"] });

export const executionKind: KindDefinition = {
  kind: "Execution",
  plural: "executions",
  singular: "execution",
  shortNames: ["ex"],
  scope: "Namespaced",
  description:
    "Execution is one run of an Agent (spec.agentRef) or of a Workflow (spec.workflowRef). The controller runs iterations as pods, scores them with the agent's validators and refines until they pass or maxIterations is reached. Watch it with `kubectl get executions -w`; cancel it with spec.cancel: true.",
  spec: object("What to run, with which input.", {
    agentRef: localRef("The Agent to run. Exactly one of agentRef or workflowRef. Immutable."),
    workflowRef: localRef("The Workflow to run. Exactly one of agentRef or workflowRef. Immutable."),
    input: jsonObject("Input of the run, validated against the agent's spec.inputSchema; available to prompts as {{input}}."),
    intent: string("Optional free-text intent, available to prompts as {{intent}}.", { maxLength: 8192 }),
    maxIterations: integer("Overrides the agent's execution.maxIterations for this run, 1 to 20.", { minimum: 1, maximum: 20 }),
    timeout: duration("Overrides the agent's execution.timeout for this run."),
    cancel: boolean("Set to true to cancel the run: the running pod is stopped, child Executions are cancelled, and the phase becomes Cancelled. Cannot be set back to false.", {
      default: false,
      rules: [rule("self || !oldSelf", "cancel cannot be set back to false once true")],
    }),
    parentRef: objectName("The parent Execution when this one was spawned by another (judges, swarm children). Immutable."),
    swarmRef: objectName("The Swarm this Execution is a member of. Immutable."),
  }, {
    rules: [
      rule("has(self.agentRef) != has(self.workflowRef)", "exactly one of agentRef or workflowRef must be set", ".agentRef", "FieldValueRequired"),
      ...["agentRef", "workflowRef", "parentRef", "swarmRef"].map(immutable),
    ],
  }),
  status: statusOf(
    "Observed progress of the run, written by the controller on phase changes. Conditions: Ready (the run started), Succeeded, Cancelled.",
    {
      phase: enumOf("Pending → Running → Validating → (Refining → Running …) → Succeeded | Failed | Cancelled.", EXECUTION_PHASES),
      iteration: integer("The current (or last) iteration, starting at 1; 0 before the first starts.", { minimum: 0, maximum: 20 }),
      maxIterations: integer("Iterations allowed for this run (spec.maxIterations or the agent's).", { minimum: 1, maximum: 20 }),
      iterationDisplay: string("\"iteration/maxIterations\", e.g. \"2/5\": the Iteration printer column (JSONPath cannot concatenate).", {
        maxLength: 8, pattern: "^[0-9]{1,2}/[0-9]{1,2}$",
      }),
      score: number("Best validation score so far, 0–1.", { minimum: 0, maximum: 1 }),
      tokens: int64("Model tokens used so far by all iterations (input + output).", { minimum: 0 }),
      inputTokens: int64("Prompt tokens used so far.", { minimum: 0 }),
      outputTokens: int64("Completion tokens used so far.", { minimum: 0 }),
      cost: number("Estimated model cost so far in US dollars, from the providers' cost per 1k tokens.", { minimum: 0 }),
      iterations: array(`Per-iteration summaries, oldest first, at most ${MAX_ITERATION_SUMMARIES}.`, iterationSummary,
        MAX_ITERATION_SUMMARIES, { listType: "map", mapKeys: ["number"] }),
      outputPreview: string(`The first ${OUTPUT_PREVIEW_LENGTH} characters of the final output; the full output is in the event store.`, {
        maxLength: OUTPUT_PREVIEW_LENGTH,
      }),
      outputTruncated: boolean("True when outputPreview is shorter than the output."),
      agent: string("The agent that ran (for workflow runs, the one of the current state).", { maxLength: 253 }),
      currentState: string("Workflow runs: the state being executed.", { maxLength: 63 }),
      transitions: integer("Workflow runs: transitions taken so far.", { minimum: 0, maximum: 100 }),
      podName: string("The current iteration's pod.", { maxLength: 253 }),
      depth: integer("Nesting depth: 0 for a top-level run, at most 3 for spawned children.", { minimum: 0, maximum: 3 }),
      reason: string("CamelCase reason of the final phase, e.g. ValidatorsPassed, MaxIterationsReached, Timeout, Cancelled.", {
        maxLength: 128,
      }),
      message: string("Human-readable explanation of the final phase.", { maxLength: 4096 }),
      policyRevision: string("The Cedar policy revision in force for the run's namespace when the status was last written (kept once the run ends): the sha256 of the policy sources, with \"@<git commit>\" when the policy ConfigMaps carry aegis.dev/git-commit. Each tool call's own revision is in the history.", {
        maxLength: 512,
      }),
      startTime: timestamp("When the first iteration started."),
      completionTime: timestamp("When the run reached Succeeded, Failed or Cancelled."),
    },
  ),
  printerColumns: [
    { name: "Agent", type: "string", jsonPath: ".spec.agentRef.name", description: "The Agent being run." },
    { name: "Workflow", type: "string", jsonPath: ".spec.workflowRef.name", description: "The Workflow being run.", priority: 1 },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Current phase." },
    { name: "Iteration", type: "string", jsonPath: ".status.iterationDisplay", description: "Current iteration / maximum." },
    { name: "Score", type: "number", jsonPath: ".status.score", description: "Best validation score, 0–1." },
    { name: "Tokens", type: "integer", jsonPath: ".status.tokens", description: "Model tokens used." },
    { name: "Cost", type: "number", jsonPath: ".status.cost", description: "Estimated cost in USD.", priority: 1 },
    { name: "State", type: "string", jsonPath: ".status.currentState", description: "Workflow state.", priority: 1 },
    AGE_COLUMN,
  ],
};
