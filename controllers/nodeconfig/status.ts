/**
 * Pure: the NodeConfig's Ready condition and status fields from its spec and what observe.ts
 * found. An ordered chain of checks; the first failure is the reason (cert-manager style).
 * Messages name providers, Secrets, keys and an API reason; never a Secret's value nor an error's text.
 */
import type { DesiredStatus } from "../../src/kube/status-report.ts";
import { firstFailure, type Check } from "../../src/runtime/policy-chain.ts";
import { ConditionType, Reason } from "./reasons.ts";
import type { SecretReading } from "./secret-reading.ts";
import { enabledProviders, secretKey, validatesProviders, type NodeConfigView, type SpecReading } from "./spec.ts";

/** At most this many node names go into status (the schema's bound). */
export const MAX_NODE_NAMES = 50;

export interface Observed {
  /** Names of the selected nodes, sorted. */
  readonly nodes: readonly string[];
  /** Total capacity of the selected nodes. */
  readonly capacity: Readonly<Record<string, string>>;
  /** What the get of each checked Secret found, by "namespace/name" (spec.ts checkedSecrets); absent = not found. */
  readonly secrets: ReadonlyMap<string, SecretReading>;
}

interface Input {
  readonly spec: NodeConfigView;
  readonly observed: Observed;
}

const checks: readonly Check<Input>[] = [
  // An orchestrator without an enabled provider can serve no model alias.
  ({ spec }) => validatesProviders(spec) && enabledProviders(spec).length === 0
    ? { reason: Reason.NoProviders, message: `a ${spec.type} NodeConfig needs at least one enabled LLM provider` }
    : undefined,
  // Within one NodeConfig an alias names exactly one model; otherwise Agents' models are ambiguous.
  ({ spec }) => {
    if (!validatesProviders(spec)) return undefined;
    const seen = new Map<string, string>();
    for (const provider of enabledProviders(spec)) {
      for (const { alias } of provider.models) {
        const other = seen.get(alias);
        if (other !== undefined) {
          return { reason: Reason.DuplicateModelAlias, message: `model alias "${alias}" is offered by providers ${other} and ${provider.name}` };
        }
        seen.set(alias, provider.name);
      }
    }
    return undefined;
  },
  // Every provider key must be readable by the gateway: the Secret, then its key.
  ({ spec, observed }) => {
    if (!validatesProviders(spec)) return undefined;
    for (const provider of enabledProviders(spec)) {
      const ref = provider.apiKeySecretRef;
      if (!ref) continue;
      const secret = observed.secrets.get(secretKey(ref)) ?? { state: "notFound" };
      if (secret.state === "unreadable") {
        return { reason: Reason.ProviderSecretUnreadable, message: `provider ${provider.name}: Secret ${ref.namespace}/${ref.name} could not be read (${secret.reason})${unreadableHint(secret.reason)}` };
      }
      if (secret.state === "notFound") {
        return { reason: Reason.ProviderSecretMissing, message: `provider ${provider.name}: Secret ${ref.namespace}/${ref.name} not found` };
      }
      if (!secret.keys.includes(ref.key)) {
        return { reason: Reason.ProviderSecretKeyMissing, message: `provider ${provider.name}: Secret ${ref.namespace}/${ref.name} has no key ${ref.key}` };
      }
    }
    return undefined;
  },
  ({ observed }) => observed.nodes.length === 0 ? { reason: Reason.NoNodesMatched, message: "the nodeSelector matches no Node" } : undefined,
];

/** A Forbidden get is a configuration problem worth naming; anything else is retried (requeue.ts). */
const unreadableHint = (reason: string): string =>
  reason === "Forbidden" ? ": the operator needs get on Secrets in that namespace" : ", retrying";

function readyMessage({ spec, observed }: Input): string {
  const count = observed.nodes.length;
  const tags = spec.tags?.length ? `, tagged ${spec.tags.join(", ")}` : "";
  return `${count} node${count === 1 ? "" : "s"} selected${tags}`;
}

/** The status this controller owns. An unreadable spec reports InvalidSpec and nothing else. */
export function nodeConfigStatus(reading: SpecReading, observed: Observed): DesiredStatus {
  const fields = {
    matchedNodes: observed.nodes.length,
    nodeNames: observed.nodes.length > 0 ? observed.nodes.slice(0, MAX_NODE_NAMES) : undefined,
    capacity: Object.keys(observed.capacity).length > 0 ? observed.capacity : undefined,
  };
  if (!reading.ok) {
    return { conditions: [{ type: ConditionType.Ready, status: "False", reason: Reason.InvalidSpec, message: reading.message }], fields };
  }
  const input = { spec: reading.spec, observed };
  const failure = firstFailure(checks, input);
  const ready = failure
    ? { type: ConditionType.Ready, status: "False" as const, ...failure }
    : { type: ConditionType.Ready, status: "True" as const, reason: Reason.NodesSelected, message: readyMessage(input) };
  return { conditions: [ready], fields };
}
