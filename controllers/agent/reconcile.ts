/**
 * Reconcile one Agent: read it from the cache, observe what it references, decide Accepted and
 * Ready, and report them. The Agent owns no children, so there is nothing else to act on.
 */
import { AGENTS } from "../../src/kube/resources.ts";
import { reportStatus } from "../../src/kube/status-report.ts";
import type { ControllerDeps, Reconciler } from "../../src/runtime/types.ts";
import { observe, type Caches } from "./observe.ts";
import type { RegistryRef } from "./registry.ts";
import { readAgentSpec } from "./spec.ts";
import { agentStatus } from "./status.ts";

export function agentReconciler(deps: ControllerDeps, caches: Caches, registry: RegistryRef): Reconciler {
  return {
    async reconcile({ namespace, name }) {
      const agent = caches.agents.get(`${namespace ?? ""}/${name}`);
      if (!agent) return {}; // deleted: nothing to report
      const reading = readAgentSpec(agent.spec);
      const observed = observe(caches, agent, reading, registry);
      await reportStatus(deps, AGENTS, agent, agentStatus(reading, observed), new Date());
      return {};
    },
  };
}
