/**
 * Read-only gathering for one Execution from the informer caches: its Agent and the pod of the
 * iteration the status points at (only a pod this Execution controls counts).
 */
import { AGENTS, EXECUTIONS, PODS } from "../../src/kube/resources.ts";
import { isControlledBy } from "../../src/kube/owners.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { ControllerDeps, Informer } from "../../src/runtime/types.ts";
import { CONTAINER_NAME } from "./desired.ts";
import type { PodView } from "./phase.ts";
import { podNameFor } from "./pod-name.ts";
import { readAgent, type AgentView } from "./spec.ts";
import type { ExecutionStatusView } from "./status-view.ts";

export type ExecutionObject = KubeObject & { apiVersion: string; kind: string };

export interface Caches {
  readonly executions: Informer<ExecutionObject>;
  readonly agents: Informer<KubeObject>;
  readonly pods: Informer<KubeObject>;
}

export function executionCaches(deps: ControllerDeps): Caches {
  return { executions: deps.informer(EXECUTIONS), agents: deps.informer(AGENTS), pods: deps.informer(PODS) };
}

export interface Observed {
  readonly agent: AgentView | undefined;
  readonly pod: KubeObject | undefined;
  readonly podView: PodView | undefined;
}

/** The iteration whose pod matters: the next one when about to start it, else the current one. */
export const podIteration = (status: ExecutionStatusView): number =>
  status.phase === "Pending" || status.phase === "Refining" ? status.iteration + 1 : Math.max(status.iteration, 1);

export function podView(pod: KubeObject): PodView {
  const status = (pod.status ?? {}) as { phase?: string; startTime?: string; containerStatuses?: { name?: string; state?: { terminated?: { exitCode?: number } } }[] };
  const code = status.containerStatuses?.find((c) => c.name === CONTAINER_NAME)?.state?.terminated?.exitCode;
  return {
    name: pod.metadata.name ?? "",
    phase: status.phase ?? "Pending",
    exitCode: typeof code === "number" ? code : null,
    ...(status.startTime ? { startTime: status.startTime } : {}),
    deleting: pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null,
  };
}

export function observe(caches: Caches, execution: ExecutionObject, agentName: string, status: ExecutionStatusView): Observed {
  const namespace = execution.metadata.namespace ?? "";
  const agentObj = caches.agents.get(`${namespace}/${agentName}`);
  const candidate = caches.pods.get(`${namespace}/${podNameFor(execution.metadata.name ?? "", podIteration(status))}`);
  const pod = candidate && isControlledBy(candidate, execution) ? candidate : undefined;
  return {
    agent: agentObj ? readAgent(agentName, agentObj.spec, agentObj.status) : undefined,
    pod,
    podView: pod ? podView(pod) : undefined,
  };
}
