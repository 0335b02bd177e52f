/**
 * The history store: idempotent writes of domain events, transcript turns and tool calls, and
 * the queries over them. Every write may be retried freely: events dedupe on their deterministic
 * id, turns and tool calls on (execution, iteration, seq); each write returns whether it was new.
 * Values are bounded (bound.ts) before they reach a row.
 */
import type pg from "pg";
import {
  EVENT_PAYLOAD_CAP_BYTES,
  TEXT_CAP_BYTES,
  TOOL_ARGUMENTS_CAP_BYTES,
  TURN_CONTENT_CAP_BYTES,
  boundJson,
  boundText,
  storableText,
} from "./bound.ts";
import { isUuid, uuidV5 } from "./ids.ts";
import { SQL } from "./queries.ts";
import type { DomainEvent, ExecutionTotals, StoredEvent, StoredToolCall, StoredTurn, ToolCall, TranscriptTurn } from "./types.ts";

export interface HistoryStore {
  /** Inserts the event unless one with its id exists; true when this call wrote it. */
  appendEvent(event: DomainEvent): Promise<boolean>;
  /** The events of an execution in the order they happened. */
  eventsOf(executionUid: string): Promise<StoredEvent[]>;
  /** Inserts the turn unless (execution, iteration, seq) exists; true when this call wrote it. */
  appendTurn(turn: TranscriptTurn): Promise<boolean>;
  /** The turns of one iteration, by seq. */
  transcriptOf(executionUid: string, iteration: number): Promise<StoredTurn[]>;
  /** Inserts the call unless (execution, iteration, seq) exists; true when this call wrote it. */
  recordToolCall(call: ToolCall): Promise<boolean>;
  /** The tool calls of one iteration, by seq. */
  toolCallsOf(executionUid: string, iteration: number): Promise<StoredToolCall[]>;
  /** Tokens, cost, turns and tool calls summed over every iteration of an execution. */
  totalsOf(executionUid: string): Promise<ExecutionTotals>;
}

/** The id of a tool call, derived from its natural key. */
export function toolCallId(executionUid: string, iteration: number, seq: number): string {
  return uuidV5(`${executionUid}/${iteration}/tool/${seq}`);
}

export function createHistoryStore(pool: pg.Pool): HistoryStore {
  return {
    async appendEvent(event) {
      if (!isUuid(event.id)) throw new TypeError(`Event id "${event.id}" is not a uuid`);
      checkPosition(event.iteration);
      const payload = boundJson(event.payload, EVENT_PAYLOAD_CAP_BYTES);
      const { rowCount } = await pool.query(SQL.appendEvent, [
        event.id,
        event.executionUid,
        event.namespace,
        event.name,
        event.iteration,
        storableText(event.type),
        JSON.stringify(payload.value),
        payload.truncated,
        event.occurredAt,
      ]);
      return rowCount === 1;
    },

    async eventsOf(executionUid) {
      return (await pool.query<StoredEvent>(SQL.eventsOfExecution, [executionUid])).rows;
    },

    async appendTurn(turn) {
      checkPosition(turn.iteration, turn.seq);
      const content = boundJson(turn.content, TURN_CONTENT_CAP_BYTES);
      const { rowCount } = await pool.query(SQL.appendTurn, [
        turn.executionUid,
        turn.iteration,
        turn.seq,
        turn.role,
        JSON.stringify(content.value),
        content.truncated,
        turn.tokensIn ?? 0,
        turn.tokensOut ?? 0,
        turn.model ?? null,
        turn.provider ?? null,
        turn.costUsd ?? 0,
      ]);
      return rowCount === 1;
    },

    async transcriptOf(executionUid, iteration) {
      return (await pool.query<StoredTurn>(SQL.transcriptOfIteration, [executionUid, iteration])).rows;
    },

    async recordToolCall(call) {
      checkPosition(call.iteration, call.seq);
      const args = boundJson(call.arguments, TOOL_ARGUMENTS_CAP_BYTES);
      const summary = optionalText(call.resultSummary);
      const error = optionalText(call.error);
      const { rowCount } = await pool.query(SQL.appendToolCall, [
        toolCallId(call.executionUid, call.iteration, call.seq),
        call.executionUid,
        call.iteration,
        call.seq,
        storableText(call.toolName),
        JSON.stringify(args.value),
        args.truncated,
        call.decision,
        call.policyRevision ?? null,
        summary?.value ?? null,
        error?.value ?? null,
        Boolean(summary?.truncated || error?.truncated),
        call.durationMs ?? null,
        call.startedAt,
        call.finishedAt ?? null,
      ]);
      return rowCount === 1;
    },

    async toolCallsOf(executionUid, iteration) {
      return (await pool.query<StoredToolCall>(SQL.toolCallsOfIteration, [executionUid, iteration])).rows;
    },

    async totalsOf(executionUid) {
      const { rows } = await pool.query<ExecutionTotals>(SQL.executionTotals, [executionUid]);
      return rows[0] ?? { tokensIn: 0, tokensOut: 0, costUsd: 0, turns: 0, toolCalls: 0 };
    },
  };
}

function optionalText(text: string | null | undefined): { value: string; truncated: boolean } | null {
  return typeof text === "string" ? boundText(text, TEXT_CAP_BYTES) : null;
}

function checkPosition(...values: number[]): void {
  for (const value of values) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`Iteration and seq must be non-negative integers, got ${value}`);
  }
}
