import { describe, expect, it } from "vitest";
import { createPlayer } from "./player.ts";
import { validateScript, type Script } from "./script.ts";

function script(value: unknown): Script {
  const r = validateScript(value);
  if (!r.ok) throw new Error(r.error);
  return r.script;
}

const kinds = (steps: { kind: string; turnIndex?: number }[]): string[] => steps.map((s) => `${s.kind}${"turnIndex" in s ? `:${s.turnIndex}` : ""}`);

describe("createPlayer", () => {
  it("walks the turns in order per conversation; conversations do not interfere", () => {
    const p = createPlayer(script({ models: { m: [{ text: "a" }, { text: "b" }] } }));
    expect(kinds([p.next("m", "c1", ""), p.next("m", "c2", ""), p.next("m", "c1", ""), p.next("m", "c1", "")])).toEqual([
      "turn:0",
      "turn:0",
      "turn:1",
      "exhausted",
    ]);
  });

  it("keeps one cursor per model within a conversation", () => {
    const p = createPlayer(script({ models: { m: [{ text: "a" }], judge: [{ text: "j" }] } }));
    expect(kinds([p.next("m", "c", ""), p.next("judge", "c", "")])).toEqual(["turn:0", "turn:0"]);
  });

  it("serves faults in order before the turn, then moves on", () => {
    const p = createPlayer(script({ models: { m: [{ text: "a", faults: [{ status: 500, times: 2 }, { status: 429 }] }, { text: "b" }] } }));
    const steps = [1, 2, 3, 4, 5].map(() => p.next("m", "c", ""));
    expect(steps.map((s) => (s.kind === "fault" ? s.fault.status : s.kind))).toEqual([500, 500, 429, "turn", "turn"]);
  });

  it("skips turns whose match does not accept the last message", () => {
    const p = createPlayer(
      script({ models: { m: [{ match: { contains: "tool says" }, text: "after tool" }, { match: { regex: "^hel+o" }, text: "greeting" }, { text: "any" }] } }),
    );
    expect(kinds([p.next("m", "c", "hello"), p.next("m", "c", "tool says")])).toEqual(["turn:1", "turn:2"]);
  });

  it("answers unknown models, or falls back to the wildcard model", () => {
    expect(createPlayer(script({ models: { m: [{ text: "a" }] } })).next("x", "c", "").kind).toBe("unknown-model");
    expect(createPlayer(script({ models: { "*": [{ text: "a" }] } })).next("x", "c", "").kind).toBe("turn");
  });
});
