/**
 * Swarm: with policies, the Cedar agent:spawn requests of its members and of the Agents its
 * limits let members spawn (src/policy/spawn.ts), each denial naming spec.members[i].agentRef or
 * spec.limits.allowedAgents[i] and the policy. An update that leaves members and limits alone
 * (cancel, finalizers) is not re-checked: a tightened policy must not wedge a dissolve.
 */
import { isDeepStrictEqual } from "node:util";
import { swarmChecks } from "../../src/policy/spawn.ts";
import { specOf, type KindWebhook } from "./kind.ts";
import { policyViolations } from "./policy.ts";

const spawning = (spec: unknown): unknown[] => {
  const s = typeof spec === "object" && spec !== null ? spec as Record<string, unknown> : {};
  return [s.members, s.limits];
};

const nameOf = (object: unknown): string => {
  const name = (object as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  return typeof name === "string" ? name : "";
};

export const swarmWebhook: KindWebhook = {
  validate(object, context) {
    const spec = specOf(object);
    if (context?.operation === "UPDATE" && isDeepStrictEqual(spawning(spec), spawning(specOf(context.oldObject)))) return [];
    return policyViolations(() => swarmChecks(context?.namespace ?? "", context?.name ?? nameOf(object), spec), context);
  },
  defaults: () => [],
};
