/**
 * Handing an iteration to the gateway: the execution's token is registered with the gateway's
 * credential registry for exactly that iteration, with the payload its pod will fetch. Done
 * before the pod is created, and again (level-based) whenever a running iteration is reconciled
 * and the registry does not hold it — so a restarted operator re-learns its running iterations.
 */
import type { CredentialRegistry } from "../../src/gateway/credentials.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { iterationPayload, type Refinement } from "./payload.ts";
import type { ExecutionRecord } from "./record.ts";
import type { AgentView, ExecutionSpecView } from "./spec.ts";
import { summaryOf, type ExecutionStatusView } from "./status-view.ts";
import type { IssuedToken } from "./token-secret.ts";

export type IterationCredentials = Pick<CredentialRegistry, "register" | "finish" | "holds">;

/** No gateway in this process (controller tests with scripted pods): nothing to register. */
export const noCredentials: IterationCredentials = { register: () => undefined, finish: () => undefined, holds: () => true };

/** Without history, the previous iteration's feedback from the status summary (no output). */
const refinementFromStatus = (status: ExecutionStatusView, iteration: number): Refinement | undefined => {
  const feedback = summaryOf(status.iterations, iteration - 1)?.feedback;
  return iteration > 1 && feedback !== undefined ? { previousOutput: "", feedback } : undefined;
};

export interface GrantInput {
  readonly execution: KubeObject;
  readonly spec: ExecutionSpecView;
  readonly status: ExecutionStatusView;
  readonly agent: AgentView;
  readonly iteration: number;
  readonly token: IssuedToken;
}

export async function grantIteration(credentials: IterationCredentials, record: ExecutionRecord, g: GrantInput): Promise<void> {
  const uid = g.execution.metadata.uid ?? "";
  if (credentials.holds(g.token.token, uid, g.iteration)) return;
  const refinement = (await record.refinementFor(g.execution, g.iteration)) ?? refinementFromStatus(g.status, g.iteration);
  credentials.register({
    token: g.token.token,
    namespace: g.execution.metadata.namespace ?? "",
    execution: g.execution.metadata.name ?? "",
    uid,
    agent: g.agent.name,
    iteration: g.iteration,
    model: g.agent.model,
    agentTools: g.agent.tools,
    payload: iterationPayload(g.agent, g.spec.input, refinement),
  });
}
