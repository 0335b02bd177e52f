// What happens to an Execution's final output: an output handler (runs after success) and
// delivery destinations. Kubernetes union idiom: `type` names the member that must be set.
import { array, boolean, describe, enumOf, integer, json, map, object, rule, string, type Schema } from "./builders.ts";
import { duration, objectName, secretKeySelector } from "./common.ts";

export const OUTPUT_HANDLER_TYPES = ["Agent", "Webhook", "Container", "MCPTool"] as const;

const retry = object("Retries on failure, with exponential backoff.", {
  maxAttempts: integer("Attempts including the first. Default 3.", { minimum: 1, maximum: 10, default: 3 }),
  backoff: duration("Delay before the first retry; doubled for each further one. Default 1s.", { default: "1s" }),
});

const header = object("An HTTP header.", {
  name: string("Header name, e.g. Authorization.", { maxLength: 256, minLength: 1 }),
  value: string("Literal header value.", { maxLength: 4096 }),
  valueFrom: object("Reads the header value from a Secret in the Agent's namespace.", {
    secretKeyRef: describe(secretKeySelector, "The Secret key holding the value, e.g. {name: hooks, key: token}."),
  }, { required: ["secretKeyRef"] }),
}, { required: ["name"], rules: [rule("has(self.value) != has(self.valueFrom)", "set exactly one of value or valueFrom", ".value")] });

const MEMBER_FIELDS: Record<(typeof OUTPUT_HANDLER_TYPES)[number], string> = {
  Agent: "agent", Webhook: "webhook", Container: "container", MCPTool: "mcpTool",
};

const member = (type: (typeof OUTPUT_HANDLER_TYPES)[number]): ReturnType<typeof rule> => {
  const key = MEMBER_FIELDS[type];
  return rule(`(self.type == '${type}') == has(self.${key})`, `${key} must be set when, and only when, type is ${type}`, `.${key}`);
};

export const outputHandler: Schema = object(
  "Runs once after the Execution succeeds, with its final output. A failure fails the Execution only if required is true.",
  {
    type: enumOf("Handler kind: Agent (run another agent on the output), Webhook (POST it), Container or MCPTool (reserved).",
      OUTPUT_HANDLER_TYPES),
    required: boolean("If true, a handler failure fails the Execution. Default false (the failure is only reported).", {
      default: false,
    }),
    timeout: duration("How long the handler may take. Default 60s."),
    agent: object("Agent handler: runs the named agent as a child Execution.", {
      agentRef: objectName("Name of the Agent in the same namespace, e.g. summarizer."),
      inputTemplate: string("Handlebars template for the child's input; {{output}} is this Execution's output.", { maxLength: 8192 }),
    }, { required: ["agentRef"] }),
    webhook: object("Webhook handler: sends the output over HTTP.", {
      url: string("Destination URL, e.g. https://hooks.example.com/aegis.", { format: "uri", maxLength: 2048, minLength: 1 }),
      method: enumOf("HTTP method. Default POST.", ["POST", "PUT", "PATCH"], { default: "POST" }),
      headers: array("Extra request headers.", header, 16),
      bodyTemplate: string("Handlebars template of the body. Default: JSON {execution, output}.", { maxLength: 8192 }),
      retry,
    }, { required: ["url"] }),
    container: object("Container handler (reserved, not yet run): a container receiving the output on stdin.", {
      image: string("Container image, e.g. ghcr.io/acme/publish:1.2.", { maxLength: 512, minLength: 1 }),
      command: array("Entrypoint override.", string("An argument.", { maxLength: 4096 }), 32),
    }, { required: ["image"] }),
    mcpTool: object("MCPTool handler (reserved, not yet run): calls an MCP tool with the output.", {
      toolName: string("Tool name, e.g. mcp:gmail.send.", { maxLength: 256, minLength: 1 }),
      arguments: json("Tool arguments (JSON); string values may use {{output}}."),
    }, { required: ["toolName"] }),
  },
  { required: ["type"], rules: OUTPUT_HANDLER_TYPES.map(member) },
);

export const delivery: Schema = object("Where to deliver the final output besides the output handler.", {
  destinations: array("Delivery destinations, tried in order.", object("One destination.", {
    name: string("Name, unique in the list, e.g. team-channel.", { maxLength: 63, minLength: 1 }),
    when: enumOf("When to deliver: OnSuccess (default), OnFailure or Always.", ["OnSuccess", "OnFailure", "Always"], {
      default: "OnSuccess",
    }),
    type: enumOf("Channel: Webhook, Rest, Email or SMS.", ["Webhook", "Rest", "Email", "SMS"]),
    target: string("Address for the channel: a URL for Webhook and Rest, an e-mail address, or a phone number.", {
      maxLength: 2048, minLength: 1,
    }),
    config: map("Channel-specific settings, e.g. {subject: \"Nightly build\"}.", string("Setting value.", { maxLength: 4096 }), 16),
  }, { required: ["name", "type", "target"] }), 8, { listType: "map", mapKeys: ["name"] }),
});
