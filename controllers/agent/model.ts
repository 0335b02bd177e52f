/**
 * Resolving a model alias against the LLM providers of orchestrator NodeConfigs (Orchestrator,
 * or Hybrid with providers). NodeConfigs are read in name order and providers in list order, so
 * when several serve an alias the answer is stable.
 */
import type { Verdict } from "../../src/runtime/policy-chain.ts";
import { Reason } from "./reasons.ts";
import type { NodeConfigView } from "./spec.ts";

export type ModelResolution = { readonly provider: string; readonly model: string } | { readonly failure: Verdict };

const enabledProviders = (nc: NodeConfigView) => (nc.llmProviders ?? []).filter((p) => p.enabled !== false);

const isOrchestrator = (nc: NodeConfigView): boolean =>
  (nc.type === "Orchestrator" || nc.type === "Hybrid") && enabledProviders(nc).length > 0;

/** At most this many known aliases are listed in a message. */
const LISTED_ALIASES = 20;

export function resolveModel(alias: string, nodeConfigs: readonly NodeConfigView[]): ModelResolution {
  const orchestrators = nodeConfigs.filter(isOrchestrator);
  if (orchestrators.length === 0) {
    return { failure: { reason: Reason.NoOrchestrator, message: "no Orchestrator or Hybrid NodeConfig declares an enabled LLM provider" } };
  }
  const known = new Set<string>();
  for (const nc of orchestrators) {
    for (const provider of enabledProviders(nc)) {
      for (const m of provider.models) {
        if (m.alias === alias) return { provider: provider.name, model: m.model };
        known.add(m.alias);
      }
    }
  }
  const listed = [...known].sort().slice(0, LISTED_ALIASES).join(", ");
  return { failure: { reason: Reason.ModelAliasUnknown, message: `no orchestrator NodeConfig offers model alias "${alias}" (known: ${listed})` } };
}
