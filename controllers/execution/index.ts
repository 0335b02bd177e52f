/**
 * The Execution controller's wiring: for Executions, owns their iteration Pods, watches Agents
 * (an Agent becoming Ready starts its waiting Executions). Not in controllers/index.ts yet: it
 * is wired into `npm start` once the gateway and the agent runtime land.
 */
import { AGENTS, EXECUTIONS, PODS } from "../../src/kube/resources.ts";
import type { ControllerSpec } from "../../src/runtime/types.ts";
import type { Judge } from "../../src/validators/index.ts";
import { executionCaches, type Caches } from "./observe.ts";
import { executionReconciler } from "./reconcile.ts";
import { secretTokenIssuer, type TokenIssuer } from "./token-secret.ts";
import { noJudge, terminationMessageSource, type OutputSource } from "./validate.ts";
import { executionsForAgent } from "./watches.ts";

export { decide, type Action, type Decision, type PhaseInput, type PodView, type Validation } from "./phase.ts";
export { iterationPod, type PodOptions } from "./desired.ts";
export { podNameFor } from "./pod-name.ts";
export { historyOutputSource, noJudge, terminationMessageSource, type OutputSource } from "./validate.ts";
export type { TokenIssuer } from "./token-secret.ts";

export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:8081";

export interface ExecutionControllerOptions {
  /** AEGIS_GATEWAY_URL given to iteration pods. */
  readonly gatewayUrl?: string;
  /** Overrides the image's entrypoint (local node: ["node", "src/agent-runtime/main.ts"]; tests: a shell command). */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workspacePath?: string;
  readonly maxToolRounds?: number;
  /** Default: a Secret `<execution>-token` with a random token. */
  readonly tokens?: TokenIssuer;
  /** Default: the pod's termination message. */
  readonly outputs?: OutputSource;
  /** Default: none (Semantic and MultiJudge validators fail with "no judge configured"). */
  readonly judge?: Judge;
  readonly workers?: number;
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
      return executionReconciler(deps, caches, {
        pod: {
          gatewayUrl: options.gatewayUrl ?? DEFAULT_GATEWAY_URL,
          ...(options.command ? { command: options.command } : {}),
          ...(options.args ? { args: options.args } : {}),
          ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
          ...(options.maxToolRounds ? { maxToolRounds: options.maxToolRounds } : {}),
        },
        tokens: options.tokens ?? secretTokenIssuer(deps.client),
        outputs: options.outputs ?? terminationMessageSource,
        judge: options.judge ?? noJudge,
      });
    },
  };
}
