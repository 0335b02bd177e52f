/**
 * Execution: the controller's spec reading (controllers/execution/spec.ts). The CRD's CEL already
 * says agentRef xor workflowRef and keeps the refs immutable; the referenced Agent may be created
 * after the Execution (GitOps order is not guaranteed), so it is not looked up here.
 *
 * A spawned Execution (spec.parentRef) is created by its running parent, so the parent (and its
 * swarm, spec.swarmRef) must exist: with policies, its creation is the Cedar agent:spawn request
 * of src/policy/spawn.ts (depth, the swarm's limits, the child's Agent), checked once, at CREATE:
 * the refs are immutable and a later update (cancel) must never be refused.
 */
import { readExecutionSpec } from "../../controllers/execution/spec.ts";
import { childExecutionCheck, parentFacts, swarmLimits, type SwarmFacts } from "../../src/policy/spawn.ts";
import type { Violation } from "../review.ts";
import { readingViolation, specOf, type KindWebhook, type ValidateContext } from "./kind.ts";
import { policyViolations } from "./policy.ts";

const refOf = (spec: unknown, field: "parentRef" | "swarmRef"): string | undefined => {
  const value = typeof spec === "object" && spec !== null ? (spec as Record<string, unknown>)[field] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
};

function spawnViolations(spec: unknown, context: ValidateContext | undefined): Violation[] {
  const parentName = refOf(spec, "parentRef");
  if (parentName === undefined || context?.operation !== "CREATE" || context.policies === undefined) return [];
  const namespace = context.namespace ?? "";
  const parent = context.lookup?.execution(namespace, parentName);
  if (parent === undefined) {
    return [{ field: "spec.parentRef", message: `parent Execution ${parentName} not found in namespace ${namespace}: its depth and Agent are needed for the spawn check` }];
  }
  const swarmName = refOf(spec, "swarmRef");
  let swarm: SwarmFacts | undefined;
  if (swarmName !== undefined) {
    const found = context.lookup?.swarm(namespace, swarmName);
    if (found === undefined) return [{ field: "spec.swarmRef", message: `Swarm ${swarmName} not found in namespace ${namespace}: its limits are needed for the spawn check` }];
    swarm = { name: swarmName, limits: swarmLimits(found.spec), members: context.lookup?.swarmMembers(namespace, swarmName) ?? 0 };
  }
  // A child running a Workflow has no Agent of its own to check yet (see docs/webhooks.md).
  const check = childExecutionCheck(namespace, spec, parentFacts(parent), swarm);
  return check === undefined ? [] : policyViolations(() => [check], context);
}

export const executionWebhook: KindWebhook = {
  validate(object, context) {
    const spec = specOf(object);
    const reading = readExecutionSpec(spec);
    if (!reading.ok) return [readingViolation(reading.message)];
    return spawnViolations(spec, context);
  },
  defaults: () => [],
};
