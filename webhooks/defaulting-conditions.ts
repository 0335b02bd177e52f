/**
 * Pure: when the API server should call each kind's defaulting webhook, as CEL over `object`
 * (the webhook's matchConditions). A call that would return an empty patch still costs a TLS
 * round trip and a review on every write, and Executions are the writes made most often, so
 * the API server is told exactly when there is something to default:
 * - Agent: a validator (spec.execution.validation or toolValidation) lacks minScore or
 *   minConfidence, the type-dependent thresholds a CRD default cannot express
 *   (webhooks/kinds/validators.ts thresholdDefaults). A re-applied Agent that already has them —
 *   the webhook set them on create — is not sent again.
 * - Every other kind: the CRD schema applies all their defaults; their defaulting webhooks stay
 *   registered (and served) so a future webhook-set default needs only a new condition here.
 */
import type { Kind } from "../src/api/index.ts";

const lacksThresholds = (list: string): string =>
  `(has(${list}) && ${list}.exists(v, !has(v.minScore) || !has(v.minConfidence)))`;

export const AGENT_NEEDS_DEFAULTS =
  `has(object.spec) && has(object.spec.execution) && ` +
  `(${lacksThresholds("object.spec.execution.validation")} || ${lacksThresholds("object.spec.execution.toolValidation")})`;

/** Never: the kind has no webhook-set default. */
export const NOTHING_TO_DEFAULT = "false";

export const DEFAULTING_CONDITIONS: Readonly<Record<Kind, string>> = {
  Agent: AGENT_NEEDS_DEFAULTS,
  Execution: NOTHING_TO_DEFAULT,
  Workflow: NOTHING_TO_DEFAULT,
  Swarm: NOTHING_TO_DEFAULT,
  Volume: NOTHING_TO_DEFAULT,
  NodeConfig: NOTHING_TO_DEFAULT,
};

/** The matchConditions entry name (a qualified name, as the API requires). */
export const DEFAULTING_CONDITION_NAME = "has-something-to-default";
