// Model alias → provider + model, from the orchestrator NodeConfig(s) (pure), and the resolver
// that adds the provider key from its Secret (I/O through the given readSecret).
import { parseDurationMs } from "./duration.ts";
import type { ProviderFlavour } from "./providers/clients.ts";
import type { RetryPolicy } from "./retry.ts";

export interface SecretRef { readonly namespace: string; readonly name: string; readonly key: string }

interface ModelEntry { alias: string; model: string; costPer1kTokens?: number; temperature?: number; maxOutputTokens?: number }
interface ProviderEntry { name: string; type: string; endpoint?: string; apiKeySecretRef?: SecretRef; enabled?: boolean; models?: ModelEntry[] }
interface Selection { strategy?: string; defaultProvider?: string; maxRetries?: number; retryDelay?: string; timeout?: string }

/** The part of a NodeConfig the gateway reads. */
export interface NodeConfigLike {
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly type?: string; readonly llmProviders?: readonly ProviderEntry[]; readonly llmSelection?: Selection };
}

export interface ModelChoice {
  readonly alias: string;
  readonly provider: string;
  readonly flavour: ProviderFlavour;
  readonly endpoint: string;
  readonly keyRef: SecretRef | undefined;
  readonly model: string;
  readonly costPer1kTokens: number;
  readonly temperature: number | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

const DEFAULT_ENDPOINTS: Record<string, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  ollama: "http://127.0.0.1:11434",
};

const MAX_DELAY_MS = 30_000;

/**
 * Picks the provider for an alias among the enabled openai/anthropic/ollama/openai-compatible
 * providers of Orchestrator and Hybrid NodeConfigs (sorted by name). Strategy: CostOptimized →
 * the lowest costPer1kTokens; PreferLocal → ollama first; otherwise defaultProvider first, then
 * the first listed. Undefined when no provider serves the alias.
 */
export function selectModel(configs: readonly NodeConfigLike[], alias: string): ModelChoice | undefined {
  const candidates: { p: ProviderEntry; m: ModelEntry; sel: Selection }[] = [];
  const sorted = [...configs].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  for (const nc of sorted) {
    if (nc.spec?.type !== "Orchestrator" && nc.spec?.type !== "Hybrid") continue;
    for (const p of nc.spec.llmProviders ?? []) {
      if (p.enabled === false || !(p.type in DEFAULT_ENDPOINTS || p.type === "openai-compatible")) continue;
      const m = (p.models ?? []).find((x) => x.alias === alias);
      if (m !== undefined) candidates.push({ p, m, sel: nc.spec.llmSelection ?? {} });
    }
  }
  const first = candidates[0];
  if (first === undefined) return undefined;
  const strategy = first.sel.strategy ?? "PreferLocal";
  const rank = (c: (typeof candidates)[number]): number => {
    if (strategy === "CostOptimized") return c.m.costPer1kTokens ?? 0;
    if (strategy === "PreferLocal") return c.p.type === "ollama" ? 0 : c.p.name === first.sel.defaultProvider ? 1 : 2;
    if (strategy === "PreferCloud") return c.p.type === "ollama" ? 2 : c.p.name === first.sel.defaultProvider ? 0 : 1;
    return c.p.name === first.sel.defaultProvider ? 0 : 1;
  };
  const best = candidates.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  const sel = best.sel;
  return {
    alias,
    provider: best.p.name,
    flavour: best.p.type === "anthropic" ? "anthropic" : "openai",
    endpoint: best.p.endpoint ?? DEFAULT_ENDPOINTS[best.p.type] ?? "",
    keyRef: best.p.apiKeySecretRef,
    model: best.m.model,
    costPer1kTokens: best.m.costPer1kTokens ?? 0,
    temperature: best.m.temperature,
    timeoutMs: parseDurationMs(sel.timeout, 30_000),
    retry: { maxRetries: sel.maxRetries ?? 3, baseDelayMs: parseDurationMs(sel.retryDelay, 1000), maxDelayMs: MAX_DELAY_MS },
  };
}

/** Cost in US dollars of a turn. */
export function turnCost(costPer1kTokens: number, tokensIn: number, tokensOut: number): number {
  return ((tokensIn + tokensOut) / 1000) * costPer1kTokens;
}

export interface ResolvedModel extends ModelChoice {
  /** Never logged, returned or put in an error. */
  readonly apiKey: string | undefined;
}

export type Resolution = { ok: true; model: ResolvedModel } | { ok: false; message: string };

export interface ModelResolver {
  resolve(alias: string): Promise<Resolution>;
}

export interface ResolverSources {
  /** The NodeConfigs in the informer cache. */
  readonly nodeConfigs: () => readonly NodeConfigLike[];
  /** The value of a Secret key (a Secret informer or a get); undefined when missing. */
  readonly readSecret: (ref: SecretRef) => Promise<string | undefined>;
}

export function createModelResolver(sources: ResolverSources): ModelResolver {
  return {
    async resolve(alias) {
      const choice = selectModel(sources.nodeConfigs(), alias);
      if (choice === undefined) return { ok: false, message: `model alias "${alias}" is served by no enabled provider of an Orchestrator NodeConfig` };
      if (choice.keyRef === undefined) return { ok: true, model: { ...choice, apiKey: undefined } };
      const apiKey = await sources.readSecret(choice.keyRef);
      if (apiKey === undefined || apiKey === "") {
        const r = choice.keyRef;
        return { ok: false, message: `provider ${choice.provider}: Secret ${r.namespace}/${r.name} has no key "${r.key}"` };
      }
      return { ok: true, model: { ...choice, apiKey: apiKey.trim() } };
    },
  };
}
