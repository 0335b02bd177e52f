// Agent: the definition of an autonomous agent (AEGIS spec §1) in Kubernetes idiom.
import {
  array, boolean, enumOf, int64, integer, jsonObject, number, object, rule, string, stringSet, timestamp,
} from "./builders.ts";
import {
  LABEL_PATTERN, duration, envList, resourceRequirements, statusOf,
} from "./common.ts";
import { AGE_COLUMN, READY_COLUMN, type KindDefinition } from "./kind.ts";
import { delivery, outputHandler } from "./output.ts";
import { validator } from "./validator.ts";
import { volumeMount } from "./volume.ts";

export const LANGUAGES = ["python", "javascript", "typescript", "rust", "go", "bash"] as const;
export const MODEL_ALIAS_PATTERN = "^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$";
/** Tool names: builtin (`fs.read`, `cmd.run`), wildcard prefixes (`fs.*`) or MCP servers (`mcp:gmail`). */
export const TOOL_PATTERN = "^(mcp:[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9_*-]+)*|[a-z][a-z0-9_-]*(\\.([a-z0-9_-]+|\\*))*)$";

const runtime = object(
  "What the agent runs in. Either image (a custom container image) or language with version (resolved to a pinned image by the operator's runtime registry), never both.",
  {
    image: string("Custom container image including a registry or repository path, e.g. ghcr.io/acme/agent-python:3.12. Excludes language and version.", {
      pattern: "^[^\\s/]+/[^\\s]+$", maxLength: 512,
    }),
    language: enumOf("Standard runtime language: python, javascript, typescript, rust, go or bash. Requires version.", LANGUAGES),
    version: string("Language version, e.g. \"3.12\" for python, \"20\" for javascript. Requires language.", {
      pattern: "^[0-9]+(\\.[0-9]+){0,2}$", maxLength: 16,
    }),
    imagePullPolicy: enumOf("When the node pulls the image: Always, IfNotPresent (default) or Never.", ["Always", "IfNotPresent", "Never"], {
      default: "IfNotPresent",
    }),
    isolation: enumOf(
      "Sandbox of each iteration: Inherit (the node's default, see NodeConfig spec.runtime.defaultIsolation), Container, Process or MicroVM.",
      ["Inherit", "Container", "Process", "MicroVM"], { default: "Inherit" },
    ),
    model: string("Model alias resolved against the LLM providers of orchestrator NodeConfigs, e.g. default, fast, smart, judge. Default \"default\".", {
      pattern: MODEL_ALIAS_PATTERN, maxLength: 63, default: "default",
    }),
    temperature: number("Sampling temperature for model turns, 0 (deterministic) to 2. Default: the model alias's temperature.", {
      minimum: 0, maximum: 2,
    }),
  },
  {
    rules: [
      rule("has(self.image) != (has(self.language) || has(self.version))",
        "set either runtime.image or runtime.language with runtime.version, not both and not neither", ".image"),
      rule("has(self.language) == has(self.version)", "runtime.language and runtime.version must be set together", ".version", "FieldValueRequired"),
    ],
  },
);

const task = object("What the agent is asked to do.", {
  instruction: string("The task, in plain language; the system prompt of every iteration. Required.", { minLength: 1, maxLength: 32768 }),
  promptTemplate: string(
    "Handlebars template of the user prompt. Variables: {{input}} (the Execution's input), {{instruction}}, {{previous_output}} and {{feedback}} on refinements.",
    { maxLength: 32768 },
  ),
  inputData: jsonObject("Default input, merged under each Execution's spec.input."),
}, { required: ["instruction"] });

const contextItem = object("A piece of context given to the model with the task.", {
  type: enumOf("Text (inline content), File or Directory (a path in the workspace), or URL (fetched at start).", ["Text", "File", "Directory", "URL"]),
  content: string("Text: the content itself.", { maxLength: 32768 }),
  path: string("File and Directory: path in the agent's workspace, e.g. /workspace/README.md.", { maxLength: 1024 }),
  url: string("URL: the address to fetch, e.g. https://docs.example.com/api.md.", { format: "uri", maxLength: 2048 }),
  description: string("What this context is for, shown to the model.", { maxLength: 1024 }),
}, {
  required: ["type"],
  rules: [
    rule("self.type != 'Text' || has(self.content)", "content is required when type is Text", ".content", "FieldValueRequired"),
    rule("!(self.type in ['File', 'Directory']) || has(self.path)", "path is required when type is File or Directory", ".path", "FieldValueRequired"),
    rule("self.type != 'URL' || has(self.url)", "url is required when type is URL", ".url", "FieldValueRequired"),
  ],
});

const execution = object("How Executions of this agent iterate and are judged.", {
  mode: enumOf("OneShot (default): stop after the first iteration. Iterative: refine until the validators pass or maxIterations.", ["OneShot", "Iterative"], {
    default: "OneShot",
  }),
  maxIterations: integer("Most iterations one Execution may run, 1 to 20. Default 5. Each iteration is a fresh pod that gets the previous output and the validators' feedback.", {
    minimum: 1, maximum: 20, default: 5,
  }),
  iterationTimeout: duration("Wall-clock limit of one iteration. Default 600s.", { default: "600s" }),
  timeout: duration("Wall-clock limit of the whole Execution over all iterations. Default 1800s.", { default: "1800s" }),
  llmTimeout: duration("Limit of one model call. Default 300s.", { default: "300s" }),
  validation: array("Validators run in order after each iteration; the first failure stops the chain and its feedback drives the next iteration. Empty: the first iteration that exits 0 succeeds.", validator, 16),
  toolValidation: array("Judges run before each tool call (inner loop); only Semantic validators are allowed here.", validator, 4, {
    rules: [rule("self.all(v, v.type == 'Semantic')", "toolValidation only accepts validators of type Semantic")],
  }),
  delivery,
});

const security = object("What the agent may reach. Tool calls are additionally checked per call by the gateway (SEAL + Cedar).", {
  contextName: string(
    "SEAL security context whose capabilities bound every tool call. Must start with aegis-system-, tenant-<slug>- or zaru-. Default aegis-system-agent-runtime.",
    { pattern: "^(aegis-system-|tenant-[a-z0-9]+-|zaru-)[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 128, default: "aegis-system-agent-runtime" },
  ),
  network: object("Egress of the agent pod, enforced with a NetworkPolicy.", {
    mode: enumOf("Allow (default): all egress except denylist. Deny: only the allowlist (and the gateway).", ["Allow", "Deny"], { default: "Allow" }),
    allowlist: stringSet("Domains or CIDRs reachable in Deny mode, e.g. pypi.org, 10.0.0.0/8.", string("A domain or CIDR.", { maxLength: 253 }), 64),
    denylist: stringSet("Domains or CIDRs never reachable in Allow mode.", string("A domain or CIDR.", { maxLength: 253 }), 64),
  }, {
    rules: [rule("!has(self.allowlist) || self.mode == 'Deny'", "allowlist is only used when mode is Deny", ".allowlist")],
  }),
  filesystem: object("File access inside the workspace, as globs checked by the storage gateway.", {
    read: stringSet("Readable globs, e.g. /workspace/**. Default: all of /workspace.", string("A glob.", { maxLength: 1024 }), 32),
    write: stringSet("Writable globs, e.g. /workspace/src/**. Default: all of /workspace unless readOnly.", string("A glob.", { maxLength: 1024 }), 32),
    readOnly: boolean("If true, nothing is writable whatever write says. Default false.", { default: false }),
  }),
});

const schedule = object("When Executions are created automatically. Default Manual: only when you create one.", {
  type: enumOf("Manual (default), Cron or Interval.", ["Manual", "Cron", "Interval"], { default: "Manual" }),
  cron: string("Cron: five-field schedule, e.g. \"0 3 * * *\" (03:00 daily).", { maxLength: 128 }),
  timeZone: string("Cron: IANA time zone, e.g. Europe/Paris. Default UTC.", { maxLength: 64 }),
  interval: duration("Interval: time between runs, e.g. 6h."),
  suspend: boolean("If true, no new Executions are scheduled. Default false.", { default: false }),
}, {
  rules: [
    rule("self.type != 'Cron' || has(self.cron)", "cron is required when type is Cron", ".cron", "FieldValueRequired"),
    rule("self.type != 'Interval' || has(self.interval)", "interval is required when type is Interval", ".interval", "FieldValueRequired"),
  ],
});

const advanced = object("Tuning rarely needed.", {
  warmPoolSize: integer("Idle pods kept ready to cut start latency. Default 0.", { minimum: 0, maximum: 20, default: 0 }),
  startupScript: string("Shell script run in the pod before the first model turn, e.g. pip install -r requirements.txt.", { maxLength: 16384 }),
  bootstrapPath: string("Path of a custom agent-runtime bootstrap inside the image.", { maxLength: 1024 }),
  healthCheck: object("HTTP health check of long-running agent pods.", {
    path: string("HTTP path, e.g. /healthz.", { maxLength: 1024, pattern: "^/" }),
    interval: duration("Time between checks. Default 30s."),
    timeout: duration("Limit of one check. Default 5s."),
  }, { required: ["path"] }),
});

export const agentKind: KindDefinition = {
  kind: "Agent",
  plural: "agents",
  singular: "agent",
  shortNames: ["ag"],
  scope: "Namespaced",
  description:
    "Agent defines an autonomous AI agent: the runtime it runs in, the model alias it thinks with, its task, tools, validators, volumes and limits. Run it by creating an Execution with spec.agentRef.",
  spec: object("Desired agent definition.", {
    runtime,
    task,
    context: array("Context given to the model with the task.", contextItem, 32),
    execution,
    security,
    resources: resourceRequirements("CPU, memory and ephemeral-storage of each iteration's pod, e.g. limits: {cpu: \"1\", memory: 1Gi}. Default: limits cpu 1, memory 512Mi."),
    schedule,
    tools: stringSet(
      "Tools exposed to the model: builtin names such as fs.read, fs.write, cmd.run, web.fetch, a prefix wildcard such as fs.*, or an MCP server such as mcp:github. Only tools also allowed by the security context and registered on the node are offered.",
      string("A tool name.", { pattern: TOOL_PATTERN, maxLength: 128 }),
      64,
    ),
    env: envList("Environment variables of the agent pod. Use valueFrom.secretKeyRef for credentials. Names starting with AEGIS_ are reserved."),
    volumes: array("Volumes mounted into every iteration.", volumeMount, 8, {
      listType: "map", mapKeys: ["name"],
      rules: [rule("self.all(v, self.exists_one(w, w.mountPath == v.mountPath))", "volumes must have distinct mountPaths")],
    }),
    placement: object("Where iteration pods run.", {
      tags: stringSet("NodeConfig tags every chosen node must carry, e.g. [gpu, eu].",
        string("A tag.", { pattern: LABEL_PATTERN, maxLength: 63 }), 16),
    }),
    inputSchema: jsonObject("JSON Schema every Execution's spec.input must satisfy, e.g. {type: object, required: [repo]}."),
    outputHandler,
    advanced,
  }, {
    required: ["runtime", "task"],
    rules: [
      rule("!has(self.env) || self.env.all(e, !e.name.startsWith('AEGIS_'))", "env names starting with AEGIS_ are reserved for the operator", ".env"),
    ],
  }),
  status: statusOf("Observed state of the agent. Conditions: Ready (runtime and model resolved; Executions may start).", {
    image: string("The image iterations run: runtime.image, or the image the runtime registry pinned for language+version.", { maxLength: 512 }),
    model: string("The provider model the alias resolved to, e.g. anthropic/claude-sonnet-4.", { maxLength: 256 }),
    provider: string("The LLM provider serving the model alias, e.g. anthropic.", { maxLength: 63 }),
    executions: int64("Executions of this agent that exist now.", { minimum: 0 }),
    lastExecutionTime: timestamp("When the latest Execution of this agent was created."),
  }),
  printerColumns: [
    { name: "Model", type: "string", jsonPath: ".spec.runtime.model", description: "Model alias." },
    { name: "Image", type: "string", jsonPath: ".status.image", description: "Resolved runtime image.", priority: 1 },
    READY_COLUMN,
    AGE_COLUMN,
  ],
};
