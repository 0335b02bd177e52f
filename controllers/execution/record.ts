/**
 * What the Execution controller keeps in the history store (docs/history.md): one domain event
 * per fact, with a deterministic id so a repeated reconcile (an operator restarted mid-run, a
 * conflict retried) never writes a second row; and what it reads back — the previous iteration's
 * refinement and the run's usage totals. Without a store (tests, `--database` off) it does nothing.
 */
import { eventId, type HistoryStore, type JsonValue } from "../../src/history/index.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import type { Refinement } from "./payload.ts";

export type HistoryPort = Pick<HistoryStore, "appendEvent" | "eventsOf" | "totalsOf">;

export const EventType = {
  IterationStarted: "IterationStarted",
  IterationValidated: "IterationValidated",
  ExecutionFinished: "ExecutionFinished",
} as const;

export interface Usage {
  readonly tokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cost: number;
}

export interface ExecutionRecord {
  record(execution: KubeObject, iteration: number, type: string, payload: JsonValue): Promise<void>;
  refinementFor(execution: KubeObject, iteration: number): Promise<Refinement | undefined>;
  usageOf(execution: KubeObject): Promise<Usage | undefined>;
}

export const noRecord: ExecutionRecord = {
  record: () => Promise.resolve(),
  refinementFor: () => Promise.resolve(undefined),
  usageOf: () => Promise.resolve(undefined),
};

export function historyRecord(history: HistoryPort): ExecutionRecord {
  return {
    async record(execution, iteration, type, payload) {
      const uid = execution.metadata.uid ?? "";
      await history.appendEvent({
        id: eventId(uid, iteration, type), executionUid: uid, namespace: execution.metadata.namespace ?? "", name: execution.metadata.name ?? "",
        iteration, type, payload, occurredAt: new Date(),
      });
    },
    async refinementFor(execution, iteration) {
      if (iteration <= 1) return undefined;
      const events = await history.eventsOf(execution.metadata.uid ?? "");
      const validated = events.find((e) => e.type === EventType.IterationValidated && e.iteration === iteration - 1);
      const payload = validated?.payload as { output?: unknown; feedback?: unknown } | null | undefined;
      if (typeof payload?.feedback !== "string") return undefined;
      return { previousOutput: typeof payload.output === "string" ? payload.output : "", feedback: payload.feedback };
    },
    async usageOf(execution) {
      const t = await history.totalsOf(execution.metadata.uid ?? "");
      // Cost in whole micro-dollars: the status never flaps on float noise.
      return { tokens: t.tokensIn + t.tokensOut, inputTokens: t.tokensIn, outputTokens: t.tokensOut, cost: Math.round(t.costUsd * 1e6) / 1e6 };
    },
  };
}
