/** Which Executions a change of an Agent concerns: those of its namespace whose agentRef names it. */
import type { KubeObject } from "../../src/kube/types.ts";
import type { Request } from "../../src/runtime/types.ts";

/** `executions` are those of the Agent's namespace. */
export function executionsForAgent(executions: readonly KubeObject[], agent: KubeObject): Request[] {
  return executions
    .filter((ex) => (ex.spec as { agentRef?: { name?: unknown } } | undefined)?.agentRef?.name === agent.metadata.name)
    .map((ex) => ({ namespace: ex.metadata.namespace, name: ex.metadata.name ?? "" }));
}
