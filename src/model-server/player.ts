// Turn selection: which scripted turn answers a request, per conversation, with fault injection.
// No I/O; the state is a Map the caller owns through the Player object.
import type { Script, ScriptFault, ScriptTurn } from "./script.ts";

export type Step =
  | { kind: "unknown-model"; model: string }
  | { kind: "exhausted"; model: string; conversation: string }
  | { kind: "fault"; fault: ScriptFault; turnIndex: number }
  | { kind: "turn"; turn: ScriptTurn; turnIndex: number };

interface Cursor {
  next: number;
  /** Faults already served for the turn at `pending`. */
  faultsServed: number;
  pending: number | undefined;
}

/** The turns a model gets: its own, or those of the wildcard model "*". */
export function turnsFor(script: Script, model: string): ScriptTurn[] | undefined {
  return script.models[model] ?? script.models["*"];
}

/** Whether a turn's `match` (if any) accepts the last user or tool text. */
export function turnMatches(turn: ScriptTurn, lastText: string): boolean {
  const m = turn.match;
  if (m === undefined) return true;
  if (m.contains !== undefined && !lastText.includes(m.contains)) return false;
  if (m.regex !== undefined && !new RegExp(m.regex).test(lastText)) return false;
  return true;
}

/** The fault to serve on attempt `served` (0-based) of a turn, or undefined when faults are done. */
export function faultAt(turn: ScriptTurn, served: number): ScriptFault | undefined {
  let left = served;
  for (const fault of turn.faults ?? []) {
    if (left < fault.times) return fault;
    left -= fault.times;
  }
  return undefined;
}

export interface Player {
  next(model: string, conversation: string, lastText: string): Step;
}

/** Each conversation walks the model's turns in order; a turn with `match` is skipped when it does not match. */
export function createPlayer(script: Script): Player {
  const cursors = new Map<string, Cursor>();
  return {
    next(model, conversation, lastText) {
      const turns = turnsFor(script, model);
      if (turns === undefined) return { kind: "unknown-model", model };
      const key = `${model}\u0000${conversation}`;
      const cursor = cursors.get(key) ?? { next: 0, faultsServed: 0, pending: undefined };
      cursors.set(key, cursor);
      let index = cursor.pending;
      if (index === undefined) {
        index = turns.findIndex((t, i) => i >= cursor.next && turnMatches(t, lastText));
        if (index < 0) return { kind: "exhausted", model, conversation };
      }
      const turn = turns[index];
      if (turn === undefined) return { kind: "exhausted", model, conversation };
      const fault = faultAt(turn, cursor.faultsServed);
      if (fault !== undefined) {
        cursor.pending = index;
        cursor.faultsServed += 1;
        return { kind: "fault", fault, turnIndex: index };
      }
      cursor.pending = undefined;
      cursor.faultsServed = 0;
      cursor.next = index + 1;
      return { kind: "turn", turn, turnIndex: index };
    },
  };
}
