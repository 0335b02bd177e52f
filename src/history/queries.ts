/** The store's SQL, kept in queries/*.sql and read once when this module loads. */
import { readFileSync } from "node:fs";

function load(name: string): string {
  return readFileSync(new URL(`./queries/${name}.sql`, import.meta.url), "utf8");
}

export const SQL = {
  appendEvent: load("append-event"),
  eventsOfExecution: load("events-of-execution"),
  appendTurn: load("append-turn"),
  appendTurns: load("append-turns"),
  transcriptOfIteration: load("transcript-of-iteration"),
  appendToolCall: load("append-tool-call"),
  toolCallsOfIteration: load("tool-calls-of-iteration"),
  executionTotals: load("execution-totals"),
} as const;
