/**
 * NodeConfig: the controller's spec reading and its one spec-alone rule that is an error rather
 * than a state: a model alias offered twice (an Agent's model would be ambiguous). The Ready
 * chain runs with one pretend node and no Secrets; only the reasons listed here deny, because
 * the later checks (Secrets, nodes) are about other objects.
 */
import { Reason } from "../../controllers/nodeconfig/reasons.ts";
import { readSpec } from "../../controllers/nodeconfig/spec.ts";
import { nodeConfigStatus, type Observed } from "../../controllers/nodeconfig/status.ts";
import { readingViolation, specOf, type KindWebhook } from "./kind.ts";

const OBSERVED: Observed = { nodes: ["admission"], capacity: {}, secrets: new Map() };

const DENIED: Readonly<Record<string, string>> = { [Reason.DuplicateModelAlias]: "spec.llmProviders" };

export const nodeConfigWebhook: KindWebhook = {
  validate(object) {
    const reading = readSpec(specOf(object));
    if (!reading.ok) return [readingViolation(reading.message)];
    const ready = nodeConfigStatus(reading, OBSERVED).conditions[0];
    const field = ready?.status === "False" ? DENIED[ready.reason] : undefined;
    return field !== undefined && ready !== undefined ? [{ field, message: ready.message }] : [];
  },
  defaults: () => [],
};
