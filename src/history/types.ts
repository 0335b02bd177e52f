/** The records the history store writes and reads (docs/history.md maps them to columns). */
import type { JsonValue } from "./bound.ts";

export type { JsonValue };

/** A fact about an execution, written once: `id` is deterministic (see eventId in ids.ts). */
export interface DomainEvent {
  readonly id: string;
  readonly executionUid: string;
  readonly namespace: string;
  /** The Execution's name. */
  readonly name: string;
  readonly iteration: number;
  /** UpperCamelCase, e.g. "IterationStarted". */
  readonly type: string;
  readonly payload: JsonValue;
  readonly occurredAt: Date;
}

export interface StoredEvent extends DomainEvent {
  /** The payload was over EVENT_PAYLOAD_CAP_BYTES (or too deep) and holds a preview instead. */
  readonly payloadTruncated: boolean;
  readonly recordedAt: Date;
}

export type TurnRole = "system" | "user" | "assistant" | "tool";

/** One model turn of an iteration; `seq` orders the turns and makes the write idempotent. */
export interface TranscriptTurn {
  readonly executionUid: string;
  readonly iteration: number;
  readonly seq: number;
  readonly role: TurnRole;
  readonly content: JsonValue;
  readonly tokensIn?: number;
  readonly tokensOut?: number;
  readonly model?: string | null;
  readonly provider?: string | null;
  readonly costUsd?: number;
}

export interface StoredTurn extends Required<TranscriptTurn> {
  readonly contentTruncated: boolean;
  readonly createdAt: Date;
}

export type ToolDecision = "allow" | "deny";

/** One tool call of an iteration, with the policy decision that allowed or denied it. */
export interface ToolCall {
  readonly executionUid: string;
  readonly iteration: number;
  readonly seq: number;
  readonly toolName: string;
  readonly arguments: JsonValue;
  readonly decision: ToolDecision;
  readonly policyRevision?: string | null;
  readonly resultSummary?: string | null;
  readonly error?: string | null;
  readonly durationMs?: number | null;
  readonly startedAt: Date;
  readonly finishedAt?: Date | null;
}

export interface StoredToolCall extends Required<ToolCall> {
  /** uuid-v5 of `executionUid/iteration/tool/seq`. */
  readonly id: string;
  readonly argumentsTruncated: boolean;
  /** resultSummary or error was over TEXT_CAP_BYTES and was cut. */
  readonly textTruncated: boolean;
  readonly recordedAt: Date;
}

export interface ExecutionTotals {
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
  readonly turns: number;
  readonly toolCalls: number;
}
