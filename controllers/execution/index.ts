/**
 * The Execution controller's wiring: for Executions, owns their iteration Pods, watches Agents
 * (an Agent becoming Ready starts its waiting Executions). The operator program passes the
 * gateway's URL and credential registry, the history store and the judge.
 */
import { AGENTS, EXECUTIONS, PODS } from "../../src/kube/resources.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import type { Judge } from "../../src/validators/index.ts";
import { executionCaches, type Caches } from "./observe.ts";
import { executionReconciler } from "./reconcile.ts";
import { noCredentials, type IterationCredentials } from "./grant.ts";
import { historyRecord, noRecord, type HistoryPort } from "./record.ts";
import { secretTokenIssuer, type TokenIssuer } from "./token-secret.ts";
import { historyOutputSource, noJudge, terminationMessageSource, type OutputSource } from "./validate.ts";
import { executionsForAgent } from "./watches.ts";
import type { ExecutionMetrics } from "./metrics.ts";

export { decide, type Action, type Decision, type PhaseInput, type PodView, type Validation } from "./phase.ts";
export { iterationPod, type PodOptions } from "./desired.ts";
export { podNameFor } from "./pod-name.ts";
export { historyOutputSource, noJudge, terminationMessageSource, type OutputSource } from "./validate.ts";
export type { TokenIssuer } from "./token-secret.ts";
export type { IterationCredentials } from "./grant.ts";
export { EventType, type HistoryPort } from "./record.ts";
export { createExecutionMetrics, type ExecutionMetrics } from "./metrics.ts";

export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:8081";

export interface ExecutionControllerOptions {
  /** AEGIS_GATEWAY_URL given to iteration pods. */
  readonly gatewayUrl?: string;
  /** Overrides the image's entrypoint (local node: ["node", "src/agent-runtime/main.ts"]; tests: a shell command). */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workspacePath?: string;
  readonly maxToolRounds?: number;
  /** SEAL: pods get a projected service-account token for this audience (docs/seal.md). Default: none. */
  readonly sealAudience?: string;
  /** Default: a Secret `<execution>-token` with a random token. */
  readonly tokens?: TokenIssuer;
  /** Default: the IterationOutput event in `history`, else the pod's termination message. */
  readonly outputs?: OutputSource;
  /** The gateway's credential registry (in-process). Default: none (pods get no grant). */
  readonly credentials?: IterationCredentials;
  /** Where domain events, refinements and usage live. Default: none. */
  readonly history?: HistoryPort;
  /** The judge of an Execution's namespace (judge Agents are looked up there). Default: none (Semantic and MultiJudge validators fail with "no judge configured"). */
  readonly judge?: Judge | ((namespace: string) => Judge);
  readonly workers?: number;
  /** The Cedar policy revision in force in a namespace, reported as status.policyRevision. Default: none. */
  readonly policyRevision?: (namespace: string) => string | undefined;
  /** Phase, iteration and validator metrics on the operator's registry (docs/metrics.md). Default: none. */
  readonly metrics?: ExecutionMetrics;
}

export function executionController(options: ExecutionControllerOptions = {}): ControllerSpec {
  let caches: Caches | undefined;
  return {
    name: "execution",
    for: EXECUTIONS,
    owns: [PODS],
    watches: [
      { resource: AGENTS, map: (agent) => executionsForAgent(caches?.executions.list(agent.metadata.namespace) ?? [], agent) },
    ],
    workers: options.workers ?? 8,
    reconciler: (deps) => {
      caches = executionCaches(deps);
      const executions = caches.executions;
      options.metrics?.countFrom(() => executions.list());
      return executionReconciler(deps, caches, {
        pod: {
          gatewayUrl: options.gatewayUrl ?? DEFAULT_GATEWAY_URL,
          ...(options.command ? { command: options.command } : {}),
          ...(options.args ? { args: options.args } : {}),
          ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
          ...(options.maxToolRounds ? { maxToolRounds: options.maxToolRounds } : {}),
          ...(options.sealAudience ? { sealAudience: options.sealAudience } : {}),
        },
        tokens: options.tokens ?? secretTokenIssuer(deps.client),
        outputs: options.outputs ?? (options.history ? historyOutputSource(options.history) : terminationMessageSource),
        judge: options.judge ?? noJudge,
        credentials: options.credentials ?? noCredentials,
        record: options.history ? historyRecord(options.history) : noRecord,
        ...(options.policyRevision ? { policyRevision: options.policyRevision } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    },
  };
}
