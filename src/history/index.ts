/**
 * History in PostgreSQL: everything about a run that grows (domain events, transcripts, tool
 * calls). Imports pg and node only; never controllers/ or webhooks/. Schema: docs/history.md.
 */
export { openHistory, type History, type OpenHistoryOptions } from "./open.ts";
export { createHistoryStore, toolCallId, type HistoryStore } from "./store.ts";
export { eventId, uuidV5 } from "./ids.ts";
export { migrate, type MigrateOptions } from "./migrate.ts";
export { MigrationError } from "./migration-plan.ts";
export { EVENT_PAYLOAD_CAP_BYTES, TURN_CONTENT_CAP_BYTES, TOOL_ARGUMENTS_CAP_BYTES, TEXT_CAP_BYTES, MAX_JSON_DEPTH, type JsonValue } from "./bound.ts";
export type * from "./types.ts";
