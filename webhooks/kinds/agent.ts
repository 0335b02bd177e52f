/**
 * Agent: the controller's own Accepted rules (controllers/agent: spec reading and the acceptance
 * chain, run with nothing observed, so only the spec-alone checks can fail), then the validator
 * checks CEL cannot make. References (image, model, volumes, tools, tags) stay Ready's business:
 * they may legitimately be created after the Agent.
 */
import { DEFAULT_REGISTRY } from "../../controllers/agent/registry.ts";
import { ConditionType, Reason } from "../../controllers/agent/reasons.ts";
import { readAgentSpec } from "../../controllers/agent/spec.ts";
import { agentStatus, type Observed } from "../../controllers/agent/status.ts";
import type { Violation } from "../review.ts";
import { readingViolation, specOf, type KindWebhook } from "./kind.ts";
import { thresholdDefaults, validatorViolations } from "./validators.ts";

const NOTHING_OBSERVED: Observed = { registryRef: DEFAULT_REGISTRY, registry: undefined, nodeConfigs: [], volumes: new Set() };

/** The field each Accepted reason is about. */
const FIELD_OF: Readonly<Record<string, string>> = { [Reason.InvalidRuntime]: "spec.runtime", [Reason.InvalidVolume]: "spec.volumes" };

function acceptance(spec: unknown): Violation | undefined {
  const reading = readAgentSpec(spec);
  if (!reading.ok) return readingViolation(reading.message);
  const accepted = agentStatus(reading, NOTHING_OBSERVED).conditions.find((c) => c.type === ConditionType.Accepted);
  if (accepted === undefined || accepted.status === "True") return undefined;
  return { field: FIELD_OF[accepted.reason] ?? "spec", message: accepted.message };
}

const executionOf = (spec: unknown): Record<string, unknown> => {
  const execution = typeof spec === "object" && spec !== null ? (spec as { execution?: unknown }).execution : undefined;
  return typeof execution === "object" && execution !== null ? execution as Record<string, unknown> : {};
};

export const agentWebhook: KindWebhook = {
  validate(object) {
    const spec = specOf(object);
    const rejected = acceptance(spec);
    if (rejected) return [rejected];
    const execution = executionOf(spec);
    return [
      ...validatorViolations(execution.validation, "spec.execution.validation"),
      ...validatorViolations(execution.toolValidation, "spec.execution.toolValidation"),
    ];
  },
  defaults(object) {
    const execution = executionOf(specOf(object));
    return [
      ...thresholdDefaults(execution.validation, "/spec/execution/validation"),
      ...thresholdDefaults(execution.toolValidation, "/spec/execution/toolValidation"),
    ];
  },
};
