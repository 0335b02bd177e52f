// The gateway-backed Judge for the Semantic and MultiJudge validators: resolves the judge's model
// alias, calls the provider through the gateway's own client (same keys, retries, tool-name and
// wire translation) and parses the JSON verdict. Errors are thrown; the validators turn them into
// a failed validation.
import type { Judge, JudgeRequest, JudgeVerdict } from "../validators/types.ts";
import { judgeMessages, parseVerdict } from "./judge-prompt.ts";
import { createProviderClient } from "./providers/clients.ts";
import { turnCost, type ModelResolver, type ResolvedModel } from "./resolve.ts";
import type { RetryPolicy } from "./retry.ts";

export interface JudgeUsage {
  readonly judgeAgent: string | undefined;
  readonly alias: string;
  readonly provider: string;
  readonly model: string;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
}

export interface GatewayJudgeOptions {
  readonly resolver: ModelResolver;
  /** The judge Agent's model alias (spec.runtime.model), e.g. from the Agent informer; undefined when unknown. */
  judgeModelOf(judgeAgent: string): Promise<string | undefined>;
  /** Aliases tried in order when the request names neither a model nor a judge with one. Default ["judge", "default"]. */
  readonly defaultAlias?: string | readonly string[];
  /** Told the tokens and cost of each answered call (accounting). */
  readonly onUsage?: (usage: JudgeUsage) => void;
  /** Replaces the alias's retry policy (NodeConfig llmSelection) for judge calls. */
  readonly retry?: RetryPolicy;
  readonly log?: { warn(fields: Record<string, unknown>, message: string): void };
  /** max_tokens of the judge's answer. Default 1024. */
  readonly maxTokens?: number;
}

const DEFAULT_ALIASES = ["judge", "default"];

async function resolveModel(o: GatewayJudgeOptions, r: JudgeRequest): Promise<ResolvedModel> {
  const chosen = r.model ?? (r.judgeAgent === undefined ? undefined : await o.judgeModelOf(r.judgeAgent));
  // An alias someone configured must be served; only the defaults fall through to the next one.
  const aliases = chosen !== undefined ? [chosen] : typeof o.defaultAlias === "string" ? [o.defaultAlias] : (o.defaultAlias ?? DEFAULT_ALIASES);
  const failures: string[] = [];
  for (const alias of aliases) {
    const resolution = await o.resolver.resolve(alias);
    if (resolution.ok) return resolution.model;
    failures.push(resolution.message);
  }
  throw new Error(`no model for judge ${r.judgeAgent ?? "(none)"}: ${failures.join("; ") || "no alias to try"}`);
}

export function createGatewayJudge(options: GatewayJudgeOptions): Judge {
  return {
    async judge(request: JudgeRequest): Promise<JudgeVerdict> {
      request.signal?.throwIfAborted();
      const m = await resolveModel(options, request);
      const client = createProviderClient({
        name: m.provider, flavour: m.flavour, endpoint: m.endpoint, apiKey: m.apiKey, timeoutMs: m.timeoutMs, retry: options.retry ?? m.retry,
        onRetry: (info) => options.log?.warn({ judgeAgent: request.judgeAgent, provider: m.provider, ...info }, "retrying judge call"),
      });
      const result = await client.chat(
        {
          model: m.model, messages: judgeMessages(request), tools: [], maxTokens: options.maxTokens ?? 1024,
          ...(m.temperature === undefined ? {} : { temperature: m.temperature }),
        },
        request.signal === undefined ? {} : { signal: request.signal },
      );
      options.onUsage?.({
        judgeAgent: request.judgeAgent, alias: m.alias, provider: m.provider, model: m.model,
        tokensIn: result.usage.input, tokensOut: result.usage.output, costUsd: turnCost(m.costPer1kTokens, result.usage.input, result.usage.output),
      });
      try {
        return parseVerdict(result.text ?? "");
      } catch (error) {
        throw new Error(`judge ${request.judgeAgent ?? m.alias} (${m.provider}/${m.model}): ${(error as Error).message}`, { cause: error });
      }
    },
  };
}
