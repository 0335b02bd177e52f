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
  /**
   * appendTurn for several turns in one statement (one round trip, one commit): each is inserted
   * unless its (execution, iteration, seq) exists, bounded as appendTurn bounds it; a turn given
   * twice is written once. Resolves with how many rows this call wrote. All or none: a turn
   * rejected (negative seq, bad role) writes none.
   */
  appendTurns(turns: readonly TranscriptTurn[]): Promise<number>;
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

export interface HistoryStoreOptions {
  /**
   * Where transcript turns are written (default: `pool`). openHistory gives a pool whose sessions
   * commit asynchronously: a turn is visible at once and survives an operator crash, but a
   * PostgreSQL crash may lose the last fraction of a second of turns (never events or tool calls).
   */
  readonly transcriptPool?: pg.Pool;
}

export function createHistoryStore(pool: pg.Pool, options: HistoryStoreOptions = {}): HistoryStore {
  const turnsPool = options.transcriptPool ?? pool;
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
      const { rowCount } = await turnsPool.query(SQL.appendTurn, turnRow(turn));
      return rowCount === 1;
    },

    async appendTurns(turns) {
      if (turns.length === 0) return 0;
      for (const turn of turns) checkPosition(turn.iteration, turn.seq);
      const columns = TURN_COLUMNS.map(() => [] as unknown[]);
      for (const turn of turns) turnRow(turn).forEach((value, i) => columns[i]!.push(value));
      const { rowCount } = await turnsPool.query(SQL.appendTurns, columns);
      return rowCount ?? 0;
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

const TURN_COLUMNS = ["execution_uid", "iteration", "seq", "role", "content", "content_truncated", "tokens_in", "tokens_out", "model", "provider", "cost_usd"] as const;

/** A turn's values in TURN_COLUMNS order (append-turn.sql's parameters), content bounded. */
function turnRow(turn: TranscriptTurn): unknown[] {
  const content = boundJson(turn.content, TURN_CONTENT_CAP_BYTES);
  return [
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
  ];
}

function optionalText(text: string | null | undefined): { value: string; truncated: boolean } | null {
  return typeof text === "string" ? boundText(text, TEXT_CAP_BYTES) : null;
}

function checkPosition(...values: number[]): void {
  for (const value of values) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`Iteration and seq must be non-negative integers, got ${value}`);
  }
}
