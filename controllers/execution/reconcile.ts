/**
 * Reconcile one Execution: get → observe → decide (phase.ts) → validate when asked → act
 * (hand the iteration to the gateway and create its pod, AlreadyExists meaning it started;
 * delete it on cancel or timeout) → record the facts in history → report status (only on
 * change, Events on transitions).
 */
import { isAlreadyExists } from "../../src/kube/errors.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { EXECUTIONS, PODS } from "../../src/kube/resources.ts";
import { reportStatus } from "../../src/kube/status-report.ts";
import type { ControllerDeps, Reconciler } from "../../src/runtime/types.ts";
import { ATTR, childTraceEnv, executionAttributes, inSpan, SERVICE, tracerFor } from "../../src/telemetry/index.ts";
import type { Judge } from "../../src/validators/index.ts";
import { OUTPUT_PREVIEW_LENGTH } from "../../src/api/schema/execution.ts";
import { iterationPod, type PodOptions } from "./desired.ts";
import type { ExecutionMetrics, ReconcileStep } from "./metrics.ts";
import { grantIteration, type IterationCredentials } from "./grant.ts";
import { observe, type Caches, type ExecutionObject } from "./observe.ts";
import { decide, type Decision, type NextStatus } from "./phase.ts";
import { Reason } from "./reasons.ts";
import { EventType, type ExecutionRecord } from "./record.ts";
import { readExecutionSpec } from "./spec.ts";
import { executionDepth } from "./depth.ts";
import { executionStatus } from "./status.ts";
import { isTerminal, readExecutionStatus, type ExecutionPhase } from "./status-view.ts";
import type { TokenIssuer } from "./token-secret.ts";
import { validateIteration, type OutputSource } from "./validate.ts";

export interface ReconcileOptions {
  readonly pod: Omit<PodOptions, "tokenSecret">;
  readonly tokens: TokenIssuer;
  readonly outputs: OutputSource;
  readonly judge: Judge | ((namespace: string) => Judge);
  readonly credentials: IterationCredentials;
  readonly record: ExecutionRecord;
  /** The policy revision in force in a namespace (status.policyRevision); absent: not reported. */
  readonly policyRevision?: (namespace: string) => string | undefined;
  /** Phase, iteration and validator metrics (docs/metrics.md); absent, none. */
  readonly metrics?: ExecutionMetrics;
}

/** Requeue at least this late, so a decision that wants "now" is not a hot loop. */
const MIN_REQUEUE_MS = 200;

export function executionReconciler(deps: ControllerDeps, caches: Caches, options: ReconcileOptions): Reconciler {
  const { tokens, credentials, record } = options;
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
      const agent = observed.agent;
      const unrecorded = typeof (execution.status as { phase?: unknown } | undefined)?.phase !== "string";
      const input = { name, spec, status, agent, pod: observed.podView, now, unrecorded };
      let decision: Decision = decide(input);
      let extra: Partial<NextStatus> = {};
      let validated: ReconcileStep["validated"];
      if (decision.action.kind === "validate" && agent) {
        const { iteration, exitCode } = decision.action;
        const out = await options.outputs.outputOf(execution, iteration, observed.pod);
        const judge = typeof options.judge === "function" ? options.judge(namespace ?? "") : options.judge;
        const scored = await validateIteration(agent, exitCode, out, judge);
        decision = decide({ ...input, validation: scored.validation });
        const v = scored.validation;
        validated = { passed: v.passed, results: scored.results };
        await record.record(execution, iteration, EventType.IterationValidated, {
          passed: v.passed, score: v.score, confidence: v.confidence, feedback: scored.feedback, output: scored.previousOutput,
        });
        extra = { outputPreview: out.output.slice(0, OUTPUT_PREVIEW_LENGTH), outputTruncated: out.output.length > OUTPUT_PREVIEW_LENGTH };
      }
      const action = decision.action;
      const next = decision.status;
      if (action.kind === "createPod" && agent) {
        // One span per launch; the pod's runtime continues its trace (TRACEPARENT in the pod's env).
        const attributes = { ...executionAttributes({ namespace: namespace ?? "", execution: name, iteration: action.iteration }), [ATTR.agent]: agent.name };
        await inSpan(tracerFor(SERVICE.operator), "iteration.launch", { attributes }, async () => {
          const token = await tokens.ensure(execution);
          await grantIteration(credentials, record, { execution, spec, status, agent, iteration: action.iteration, token });
          await record.record(execution, action.iteration, EventType.IterationStarted, { pod: action.podName });
          const pod = iterationPod(execution, agent, action.iteration, { ...options.pod, tokenSecret: token.name, traceEnv: childTraceEnv(SERVICE.runtime) });
          await deps.client.create(PODS, pod).catch((err: unknown) => {
            if (!isAlreadyExists(err)) throw err; // exists: the iteration already started, never a second pod
          });
        });
      } else if (next.phase === "Running" && agent && observed.podView && !observed.podView.deleting) {
        // A running iteration: make sure the gateway knows it (a restarted operator does not).
        await grantIteration(credentials, record, { execution, spec, status, agent, iteration: next.iteration, token: await tokens.ensure(execution) });
      } else if (action.kind === "deletePod") {
        await deps.client.delete(PODS, namespace, action.podName);
      }
      if (next.phase !== status.phase) await onPhaseChange(execution, status.phase, next);
      if (next.phase !== status.phase || action.kind === "createPod") extra = { ...extra, ...(await record.usageOf(execution)) };
      const desired = executionStatus({ ...decision, status: { ...next, ...extra } });
      const policyRevision = policyRevisionFor(execution, namespace ?? "", next.phase);
      const parentRef = (execution.spec as { parentRef?: unknown } | undefined)?.parentRef;
      const depth = executionDepth(execution, typeof parentRef === "string" ? caches.executions.get(`${namespace ?? ""}/${parentRef}`) : undefined);
      await reportStatus(deps, EXECUTIONS, execution, { ...desired, fields: { ...desired.fields, policyRevision, depth } }, now);
      options.metrics?.observe({
        uid: execution.metadata.uid ?? "", from: status.phase, to: next.phase, iteration: next.iteration, reason: next.reason, startTime: next.startTime, now, validated,
      });
      return decision.requeueAfterMs === undefined ? {} : { requeueAfter: Math.max(decision.requeueAfterMs, MIN_REQUEUE_MS) };
    },
  };

  /** The namespace's revision while the run is alive; once it has ended, the one last written. */
  function policyRevisionFor(execution: KubeObject, namespace: string, phase: ExecutionPhase): string | undefined {
    const written = (execution.status as { policyRevision?: unknown } | undefined)?.policyRevision;
    const kept = typeof written === "string" ? written : undefined;
    if (options.policyRevision === undefined) return kept;
    return isTerminal(phase) && kept !== undefined ? kept : (options.policyRevision(namespace) ?? kept);
  }

  /** The iteration's token stops working once its pod is done; the run's end is recorded once. */
  async function onPhaseChange(execution: ExecutionObject, from: string, next: NextStatus): Promise<void> {
    const issued = tokens.peek(execution.metadata.uid ?? "");
    // A token this process never issued is not in its registry either: nothing to finish.
    if (issued !== undefined && (from === "Running" || isTerminal(next.phase))) credentials.finish(issued.token);
    if (isTerminal(next.phase)) {
      await record.record(execution, next.iteration, EventType.ExecutionFinished, { phase: next.phase, reason: next.reason ?? "", score: next.score ?? null });
      tokens.forget(execution.metadata.uid ?? "");
    }
  }
}
