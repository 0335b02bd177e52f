/**
 * Agent: the controller's own Accepted rules (controllers/agent: spec reading and the acceptance
 * chain, run with nothing observed, so only the spec-alone checks can fail), then the validator
 * checks CEL cannot make. References (image, model, volumes, tools, tags) stay Ready's business:
 * they may legitimately be created after the Agent. With policies, the Cedar admission checks
 * (src/policy/admission.ts): the tools, image, egress, volumes, paths and budgets the namespace
 * permits. An Agent giving language+version is checked on the image the runtime registry maps
 * it to (the controller's own resolveImage, on the cached registry); one the registry cannot
 * resolve yet has no image to check, and Ready says why.
 */
import { DEFAULT_REGISTRY, resolveImage } from "../../controllers/agent/registry.ts";
import { ConditionType, Reason } from "../../controllers/agent/reasons.ts";
import { readAgentSpec, type AgentView } from "../../controllers/agent/spec.ts";
import type { AgentSpec } from "../../src/api/index.ts";
import { agentAdmissionChecks } from "../../src/policy/admission.ts";
import { agentStatus, type Observed } from "../../controllers/agent/status.ts";
import type { Violation } from "../review.ts";
import { readingViolation, specOf, type AdmissionLookup, type KindWebhook, type ValidateContext } from "./kind.ts";
import { policyViolations } from "./policy.ts";
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

const nameOf = (object: unknown, context: ValidateContext | undefined): string => {
  const metadata = (object as { metadata?: { name?: unknown; generateName?: unknown } }).metadata;
  const name = context?.name ?? metadata?.name ?? metadata?.generateName;
  return typeof name === "string" ? name : "";
};

/** The image language+version resolves to now, when the registry has it. */
function resolvedImage(spec: AgentSpec, lookup: AdmissionLookup | undefined): string | undefined {
  if (spec.runtime.image !== undefined || lookup === undefined) return undefined;
  const { ref, data } = lookup.runtimeRegistry();
  const resolution = resolveImage(spec.runtime as AgentView["runtime"], data, ref);
  return "image" in resolution ? resolution.image : undefined;
}

export const agentWebhook: KindWebhook = {
  validate(object, context) {
    const spec = specOf(object);
    const rejected = acceptance(spec);
    if (rejected) return [rejected];
    const execution = executionOf(spec);
    return [
      ...validatorViolations(execution.validation, "spec.execution.validation"),
      ...validatorViolations(execution.toolValidation, "spec.execution.toolValidation"),
      // The spec read as the controller reads it; its shape is the CRD's (the API server checked it).
      ...policyViolations(() => {
        const image = resolvedImage(spec as AgentSpec, context?.lookup);
        return agentAdmissionChecks({
          namespace: context?.namespace ?? "", name: nameOf(object, context), spec: spec as AgentSpec,
          ...(image !== undefined ? { resolvedImage: image } : {}),
        });
      }, context),
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
