// Workflow: a finite-state machine of states with guarded transitions and a blackboard (spec §3).
import { array, enumOf, integer, jsonObject, object, rule, string } from "./builders.ts";
import { LABEL_PATTERN, duration, quantity, statusOf } from "./common.ts";
import { AGE_COLUMN, READY_COLUMN, type KindDefinition } from "./kind.ts";
import { STORAGE_CLASSES } from "./volume.ts";
import { MAX_STATES, STATE_NAME_PATTERN, state } from "./workflow-state.ts";

const storage = object("Volumes created when a run starts and shared by its states.", {
  workspace: object("The run's workspace volume, mounted at /workspace in every state.", {
    storageClass: enumOf("Ephemeral (default) or Persistent.", STORAGE_CLASSES, { default: "Ephemeral" }),
    size: quantity("Size quota. Default 256Mi.", { default: "256Mi" }),
    ttl: duration("Ephemeral only: lifetime after the run ends. Default 1h."),
    blackboardKey: string("Blackboard key holding the workspace Volume's name. Default workspaceVolume.", { maxLength: 253 }),
  }, {
    rules: [rule("!has(self.ttl) || self.storageClass == 'Ephemeral'", "ttl is only allowed when storageClass is Ephemeral", ".ttl")],
  }),
  sharedVolumes: array("Further volumes, mountable by ContainerRun states by name.", object("A shared volume.", {
    name: string("Volume name, e.g. cache.", { pattern: LABEL_PATTERN, maxLength: 63 }),
    storageClass: enumOf("Ephemeral or Persistent.", STORAGE_CLASSES),
    size: quantity("Size quota."),
  }, { required: ["name", "storageClass", "size"] }), 8, { listType: "map", mapKeys: ["name"] }),
});

export const workflowKind: KindDefinition = {
  kind: "Workflow",
  plural: "workflows",
  singular: "workflow",
  shortNames: ["wf"],
  scope: "Namespaced",
  description:
    "Workflow is a finite-state machine of states (Agent, System, Human, ParallelAgents, ContainerRun, ParallelContainerRun, Subworkflow) joined by guarded transitions, sharing a blackboard. Run it by creating an Execution with spec.workflowRef. Loops are allowed and bounded by maxStateVisits and maxTotalTransitions.",
  spec: object("The state machine.", {
    initialState: string("The state a run starts in; must be one of states.", { pattern: STATE_NAME_PATTERN, maxLength: 63 }),
    states: array(`The states, at most ${MAX_STATES}, keyed by name.`, state, MAX_STATES, { minItems: 1, listType: "map", mapKeys: ["name"] }),
    context: jsonObject("Values seeding the blackboard, available as {{workflow.context.<key>}}."),
    maxTotalTransitions: integer("Most transitions one run may take, 1–100. Default 20.", { minimum: 1, maximum: 100, default: 20 }),
    storage,
    inputSchema: jsonObject("JSON Schema the Execution's spec.input must satisfy."),
    outputSchema: jsonObject("JSON Schema of the final output."),
    outputTemplate: string("Handlebars template building the final output from the blackboard, e.g. \"{{REVIEW.output}}\". Default: the last state's output.", {
      maxLength: 16384,
    }),
  }, {
    required: ["initialState", "states"],
    rules: [
      rule("self.states.exists(s, s.name == self.initialState)", "initialState must name one of spec.states", ".initialState"),
      rule("self.states.all(s, !has(s.transitions) || s.transitions.all(t, self.states.exists(x, x.name == t.target)))",
        "every transition target must name one of spec.states", ".states"),
      rule("self.states.exists(s, !has(s.transitions) || size(s.transitions) == 0)",
        "at least one state must be terminal (no transitions), or no run can complete", ".states"),
    ],
  }),
  status: statusOf("Observed state of the workflow. Conditions: Ready (the definition is valid and every referenced Agent exists).", {
    stateCount: integer("Number of states.", { minimum: 0, maximum: MAX_STATES }),
    missingAgents: array("Agents referenced by states that do not exist (Ready is False while any are missing).",
      string("An Agent name.", { maxLength: 253 }), 32),
    runs: integer("Executions of this workflow that exist now.", { minimum: 0 }),
  }),
  printerColumns: [
    { name: "Initial", type: "string", jsonPath: ".spec.initialState", description: "Initial state." },
    { name: "States", type: "integer", jsonPath: ".status.stateCount", description: "Number of states." },
    READY_COLUMN,
    AGE_COLUMN,
  ],
};
