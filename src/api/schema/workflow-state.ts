// One Workflow state and its transitions (AEGIS spec §3). Union idiom: `kind` names the member
// (agent, system, human, …) that must be set; CEL enforces it.
import {
  array, boolean, enumOf, integer, json, named, number, object, rule, string, type Rule, type Schema,
} from "./builders.ts";
import { duration, envList, objectName, resourceRequirements } from "./common.ts";
import { CONSENSUS_STRATEGIES, judge } from "./validator.ts";
import { outputHandler } from "./output.ts";

export const STATE_KINDS = ["Agent", "System", "Human", "ParallelAgents", "ContainerRun", "ParallelContainerRun", "Subworkflow"] as const;
export const STATE_NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_-]*$";
export const TRANSITION_CONDITIONS = [
  "Always", "OnSuccess", "OnFailure", "ExitCodeZero", "ExitCodeNonZero", "ExitCode",
  "ScoreAbove", "ScoreBelow", "ScoreBetween", "ConfidenceAbove", "ScoreAndConfidenceAbove",
  "Consensus", "AllApproved", "AnyRejected", "InputEquals", "InputEqualsYes", "InputEqualsNo", "Custom",
] as const;
export const MAX_STATES = 32;
export const MAX_TRANSITIONS = 16;

const stateName = (description: string): Schema =>
  string(description, { pattern: STATE_NAME_PATTERN, maxLength: 63, minLength: 1 });

const needs = (conditions: string[], field: string): Rule =>
  rule(`!(self.condition in [${conditions.map((c) => `'${c}'`).join(", ")}]) || has(self.${field})`,
    `${field} is required when condition is ${conditions.join(" or ")}`, `.${field}`, "FieldValueRequired");

const transition = object("A guarded edge to another state. Transitions are tried in order; the first whose condition holds is taken.", {
  condition: enumOf(
    "When to take this transition: Always, OnSuccess, OnFailure, ExitCodeZero, ExitCodeNonZero, ExitCode (exitCode), ScoreAbove/ScoreBelow/ConfidenceAbove/ScoreAndConfidenceAbove (threshold), ScoreBetween (min, max), Consensus (threshold, agreement), AllApproved, AnyRejected, InputEquals (value), InputEqualsYes, InputEqualsNo, Custom (expression).",
    TRANSITION_CONDITIONS,
  ),
  target: stateName("Name of the next state; must be one of spec.states."),
  feedback: string("Handlebars text handed to the target state as {{state.feedback}}, e.g. \"Tests failed: {{TEST.output.stderr}}\".", {
    maxLength: 4096,
  }),
  threshold: number("Score or confidence threshold, 0–1.", { minimum: 0, maximum: 1 }),
  min: number("ScoreBetween: lower bound, 0–1.", { minimum: 0, maximum: 1 }),
  max: number("ScoreBetween: upper bound, 0–1.", { minimum: 0, maximum: 1 }),
  agreement: number("Consensus: minimum agreement between judges, 0–1.", { minimum: 0, maximum: 1 }),
  exitCode: integer("ExitCode: the exit code to match.", { minimum: 0, maximum: 255 }),
  value: string("InputEquals: the human response to match (case-insensitive).", { maxLength: 1024 }),
  expression: string("Custom: a Handlebars truthiness test over the blackboard and state_output, e.g. \"{{state_output.ready}}\".", {
    maxLength: 1024,
  }),
}, {
  required: ["condition", "target"],
  rules: [
    needs(["ScoreAbove", "ScoreBelow", "ConfidenceAbove", "ScoreAndConfidenceAbove", "Consensus"], "threshold"),
    needs(["ScoreBetween"], "min"),
    needs(["ScoreBetween"], "max"),
    needs(["ExitCode"], "exitCode"),
    needs(["InputEquals"], "value"),
    needs(["Custom"], "expression"),
    rule("!has(self.min) || !has(self.max) || self.min <= self.max", "min must not exceed max", ".min"),
  ],
});

const containerRun = named("ContainerRun", object("Runs a container with no model and no agent runtime; its stdout, stderr and exit code become the state output.", {
  name: string("Step name, unique within the state, e.g. unit-tests.", { maxLength: 63, minLength: 1 }),
  image: string("Container image, e.g. docker.io/library/node:24.", { maxLength: 512, minLength: 1 }),
  imagePullPolicy: enumOf("Always, IfNotPresent or Never. Default IfNotPresent.", ["Always", "IfNotPresent", "Never"]),
  command: array("Entrypoint, e.g. [npm]. Default: the image's.", string("An argument.", { maxLength: 4096 }), 32),
  args: array("Arguments, e.g. [test]. Handlebars allowed.", string("An argument.", { maxLength: 4096 }), 64),
  env: envList("Environment variables."),
  workingDir: string("Working directory, e.g. /workspace.", { maxLength: 1024 }),
  volumes: array("Workflow volumes to mount.", object("A mount of a workflow volume.", {
    name: string("Volume name: workspace, or one of spec.storage.sharedVolumes.", { maxLength: 63, minLength: 1 }),
    mountPath: string("Path in the container, e.g. /workspace.", { maxLength: 1024, pattern: "^/" }),
    readOnly: boolean("Mount read-only. Default false.", { default: false }),
  }, { required: ["name", "mountPath"] }), 8),
  resources: resourceRequirements("CPU and memory of the container."),
  timeout: duration("Wall-clock limit. Default 600s."),
  retry: object("Retries when the container fails.", {
    maxAttempts: integer("Attempts including the first. Default 1.", { minimum: 1, maximum: 10 }),
    backoff: duration("Delay before a retry, doubled each time. Default 5s."),
  }),
  readOnlyRootFilesystem: boolean("Mount the image's filesystem read-only. Default false."),
  runAsUser: integer("UID of the process. Default 1000.", { minimum: 0 }),
  runAsGroup: integer("GID of the process. Default 1000.", { minimum: 0 }),
  networkIsolated: boolean("If true, the container has no network. Default false."),
  imagePullSecret: objectName("Secret of type kubernetes.io/dockerconfigjson for a private registry."),
}, { required: ["name", "image"] }));

const parallelAgent = object("One agent run in parallel.", {
  agent: objectName("Name of the Agent."),
  input: string("Handlebars input, e.g. \"{{input.task}}\".", { maxLength: 16384, minLength: 1 }),
  weight: number("Weight in the consensus. Default 1.", { minimum: 0, maximum: 100, default: 1 }),
  timeout: duration("Wall-clock limit of this agent. Default 60s."),
}, { required: ["agent", "input"] });

const members: Record<(typeof STATE_KINDS)[number], [string, Schema]> = {
  Agent: ["agent", object("Agent state: runs an Agent as a child Execution.", {
    agentRef: objectName("Name of the Agent in the same namespace."),
    input: string("Handlebars input, e.g. \"Write {{input.feature}}. Feedback: {{state.feedback}}\".", { maxLength: 16384, minLength: 1 }),
    intent: string("Optional intent passed to the Execution.", { maxLength: 4096 }),
    maxIterations: integer("Overrides the agent's maxIterations, 1–20.", { minimum: 1, maximum: 20 }),
    judges: array("Judges scoring the result (score is in the state output).", judge, 9),
    outputHandler,
  }, { required: ["agentRef", "input"] })],
  System: ["system", object("System state: runs a shell command in the operator's sandbox.", {
    command: string("Shell command, e.g. \"make test\". Handlebars allowed.", { maxLength: 8192, minLength: 1 }),
    env: envList("Environment variables."),
    workingDir: string("Working directory. Default /workspace.", { maxLength: 1024 }),
  }, { required: ["command"] })],
  Human: ["human", object("Human state: waits for a human response (kubectl aegis approve/reject, or the API).", {
    prompt: string("What the human is asked, e.g. \"Merge PR {{blackboard.pr}}? (yes/no)\".", { maxLength: 8192, minLength: 1 }),
    defaultResponse: string("Response used when the state times out; without it a timeout fails the state.", { maxLength: 1024 }),
  }, { required: ["prompt"] })],
  ParallelAgents: ["parallelAgents", object("ParallelAgents state: runs agents at once and combines their scores.", {
    agents: array("The agents, at least two.", parallelAgent, 16, { minItems: 2 }),
    consensus: object("How the results combine.", {
      strategy: enumOf("WeightedAverage (default), Majority, Unanimous or BestOfN.", CONSENSUS_STRATEGIES, { default: "WeightedAverage" }),
      threshold: number("Score needed to pass, 0–1.", { minimum: 0, maximum: 1 }),
      minAgreementConfidence: number("Minimum agreement, 0–1.", { minimum: 0, maximum: 1 }),
      n: integer("BestOfN: how many best results count.", { minimum: 1, maximum: 16 }),
      minJudgesRequired: integer("Results needed for a verdict. Default 1.", { minimum: 1, maximum: 16 }),
    }),
    judges: array("Judges applied to each result.", judge, 9),
  }, { required: ["agents"] })],
  ContainerRun: ["containerRun", containerRun],
  ParallelContainerRun: ["parallelContainerRun", object("ParallelContainerRun state: runs containers at once.", {
    steps: array("The containers, each with a unique name.", containerRun, 8, { minItems: 1, listType: "map", mapKeys: ["name"] }),
    completion: enumOf("AllSucceed (default), AnySucceed or BestEffort.", ["AllSucceed", "AnySucceed", "BestEffort"], { default: "AllSucceed" }),
  }, { required: ["steps"] })],
  Subworkflow: ["subworkflow", object("Subworkflow state: runs another Workflow as a child Execution.", {
    workflowRef: objectName("Name of the Workflow in the same namespace."),
    mode: enumOf("Blocking (default: wait for its result) or FireAndForget.", ["Blocking", "FireAndForget"], { default: "Blocking" }),
    resultKey: string("Blackboard key for its result. Default: the state name.", { maxLength: 253 }),
    input: json("Input of the child run; string values may use Handlebars."),
  }, { required: ["workflowRef"] })],
};

export const state = object("A state of the machine. Set `kind` and the one member field named after it (agent, system, human, …).", {
  name: stateName("State name, unique in the workflow, e.g. WRITE_CODE. Its output is on the blackboard under this name."),
  kind: enumOf("Agent, System, Human, ParallelAgents, ContainerRun, ParallelContainerRun or Subworkflow.", STATE_KINDS),
  timeout: duration("Wall-clock limit of the state. Defaults: System 300s, Human 1h, others none."),
  maxStateVisits: integer("How often the state may be entered in one run, 1–20: bounds loops. Default 3.", { minimum: 1, maximum: 20, default: 3 }),
  transitions: array("Outgoing edges, tried in order. None (or empty) makes the state terminal: reaching it completes the workflow.",
    transition, MAX_TRANSITIONS),
  ...Object.fromEntries(Object.values(members)),
}, {
  required: ["name", "kind"],
  rules: Object.entries(members).map(([kind, [field]]) =>
    rule(`(self.kind == '${kind}') == has(self.${field})`, `${field} must be set when, and only when, kind is ${kind}`, `.${field}`)),
});
