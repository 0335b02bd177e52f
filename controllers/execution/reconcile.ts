/**
 * Reconcile one Execution: get → observe → decide (phase.ts) → validate when asked → act
 * (create the iteration pod, AlreadyExists meaning it started; delete it on cancel or timeout)
 * → report status (only on change, Events on transitions).
 */
import { isAlreadyExists } from "../../src/kube/errors.ts";
import { EXECUTIONS, PODS } from "../../src/kube/resources.ts";
import { reportStatus } from "../../src/kube/status-report.ts";
import type { ControllerDeps, Reconciler } from "../../src/runtime/types.ts";
import type { Judge } from "../../src/validators/index.ts";
import { iterationPod, type PodOptions } from "./desired.ts";
import { observe, type Caches } from "./observe.ts";
import { decide, type Decision } from "./phase.ts";
import { Reason } from "./reasons.ts";
import { readExecutionSpec } from "./spec.ts";
import { executionStatus } from "./status.ts";
import { readExecutionStatus } from "./status-view.ts";
import type { TokenIssuer } from "./token-secret.ts";
import { validateIteration, type OutputSource } from "./validate.ts";

export interface ReconcileOptions {
  readonly pod: Omit<PodOptions, "tokenSecret">;
  readonly tokens: TokenIssuer;
  readonly outputs: OutputSource;
  readonly judge: Judge;
}

/** Requeue at least this late, so a decision that wants "now" is not a hot loop. */
const MIN_REQUEUE_MS = 200;

export function executionReconciler(deps: ControllerDeps, caches: Caches, options: ReconcileOptions): Reconciler {
  return {
    async reconcile({ namespace, name }) {
      const execution = caches.executions.get(`${namespace ?? ""}/${name}`);
      if (!execution) return {};
      const now = new Date();
      const reading = readExecutionSpec(execution.spec);
      if (!reading.ok) {
        await reportStatus(deps, EXECUTIONS, execution, {
          conditions: [{ type: "Ready", status: "False", reason: Reason.InvalidSpec, message: reading.message }], fields: {},
        }, now);
        return {};
      }
      const spec = reading.spec;
      if (spec.agentRef === undefined) return {}; // a workflow run: the Workflow controller's
      const status = readExecutionStatus(execution.status);
      const observed = observe(caches, execution, spec.agentRef.name, status);
      const input = { name, spec, status, agent: observed.agent, pod: observed.podView, now };
      let decision: Decision = decide(input);
      if (decision.action.kind === "validate" && observed.agent) {
        const { iteration, exitCode } = decision.action;
        const out = await options.outputs.outputOf(execution, iteration, observed.pod);
        decision = decide({ ...input, validation: await validateIteration(observed.agent, exitCode, out, options.judge) });
      }
      const action = decision.action;
      if (action.kind === "createPod" && observed.agent) {
        const tokenSecret = await options.tokens.ensure(execution);
        const pod = iterationPod(execution, observed.agent, action.iteration, { ...options.pod, tokenSecret });
        await deps.client.create(PODS, pod).catch((err: unknown) => {
          if (!isAlreadyExists(err)) throw err; // exists: the iteration already started, never a second pod
        });
      } else if (action.kind === "deletePod") {
        await deps.client.delete(PODS, namespace, action.podName);
      }
      await reportStatus(deps, EXECUTIONS, execution, executionStatus(decision), now);
      return decision.requeueAfterMs === undefined ? {} : { requeueAfter: Math.max(decision.requeueAfterMs, MIN_REQUEUE_MS) };
    },
  };
}
