// Against the machine's PostgreSQL (127.0.0.1:5432): this file gets its own database.
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_PAYLOAD_CAP_BYTES, TEXT_CAP_BYTES, TURN_CONTENT_CAP_BYTES, boundJson, type JsonValue } from "./bound.ts";
import { eventId } from "./ids.ts";
import { migrate } from "./migrate.ts";
import { createHistoryStore, toolCallId, type HistoryStore } from "./store.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import type { DomainEvent } from "./types.ts";

let db: TestDatabase;
let store: HistoryStore;
let reader: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  reader = db.pool(1);
  const pool = db.pool(20);
  await migrate(pool);
  store = createHistoryStore(pool);
});
afterAll(async () => {
  await db?.drop();
});

let executions = 0;
const newExecution = (): string => `exec-${++executions}-${Date.now()}`;

function event(uid: string, iteration: number, type: string, payload: JsonValue = {}, at = new Date("2026-01-01T00:00:00Z")): DomainEvent {
  return { id: eventId(uid, iteration, type), executionUid: uid, namespace: "ns", name: "run", iteration, type, payload, occurredAt: at };
}

describe("domain events", () => {
  it("writes exactly one row when the same event is appended 50 times concurrently", async () => {
    const uid = newExecution();
    const e = event(uid, 1, "IterationStarted", { pod: "run-1" });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.appendEvent(e)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const count = await reader.query("SELECT count(*)::int AS n FROM domain_events WHERE id = $1", [e.id]);
    expect(count.rows).toEqual([{ n: 1 }]);
    expect(await store.appendEvent(e)).toBe(false);
  });

  it("lists an execution's events in order, with what was written", async () => {
    const uid = newExecution();
    const t = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    await store.appendEvent(event(uid, 2, "Validated", { score: 0.9 }, t(3)));
    await store.appendEvent(event(uid, 1, "IterationStarted", {}, t(1)));
    await store.appendEvent(event(uid, 1, "IterationFailed", { reason: "exit 1" }, t(2)));
    await store.appendEvent(event(newExecution(), 1, "Other", {}, t(0)));
    const events = await store.eventsOf(uid);
    expect(events.map((e) => e.type)).toEqual(["IterationStarted", "IterationFailed", "Validated"]);
    expect(events[2]).toMatchObject({ id: eventId(uid, 2, "Validated"), executionUid: uid, namespace: "ns", name: "run", iteration: 2, payload: { score: 0.9 }, payloadTruncated: false, occurredAt: t(3) });
    expect(events[2]!.recordedAt).toBeInstanceOf(Date);
  });

  it("stores a huge payload as a flagged preview", async () => {
    const uid = newExecution();
    await store.appendEvent(event(uid, 1, "Big", { blob: "x".repeat(EVENT_PAYLOAD_CAP_BYTES * 4) }));
    const [stored] = await store.eventsOf(uid);
    expect(stored).toMatchObject({ payloadTruncated: true, payload: { truncated: true } });
  });

  it("rejects an id that is not a uuid and a negative iteration", async () => {
    await expect(store.appendEvent({ ...event("u", 1, "X"), id: "nope" })).rejects.toThrow(/not a uuid/);
    await expect(store.appendEvent(event("u", -1, "X"))).rejects.toThrow(/non-negative/);
  });

  it("round-trips arbitrary JSON payloads (odd unicode, deep nesting) or truncates them with the flag (fast-check)", async () => {
    const uid = newExecution();
    let n = 0;
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.jsonValue({ maxDepth: 3, depthSize: "large" }),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: fc.constantFrom("\u0000", "\ud800", "\udc00", "😀", "\u202e", "\ufeff", "é", "x"), maxLength: 50 }),
      fc.integer({ min: 60, max: 90 }).map((depth) => {
        let v: JsonValue = "leaf";
        for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v };
        return v;
      }),
      fc.integer({ min: 1, max: 3 }).map((k) => ({ big: "é".repeat(k * EVENT_PAYLOAD_CAP_BYTES) })),
    ) as fc.Arbitrary<JsonValue>;
    await fc.assert(
      fc.asyncProperty(payload, async (input) => {
        const e = event(uid, 0, `P${++n}`, input);
        expect(await store.appendEvent(e)).toBe(true);
        const { rows } = await reader.query("SELECT payload, payload_truncated FROM domain_events WHERE id = $1", [e.id]);
        const expected = boundJson(input, EVENT_PAYLOAD_CAP_BYTES);
        expect(rows[0].payload_truncated).toBe(expected.truncated);
        expect(rows[0].payload).toEqual(expected.value);
        if (!expected.truncated) expect(JSON.stringify(expected.value)).toBe(JSON.stringify(JSON.parse(JSON.stringify(input))).replace(/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/g, "\ufffd"));
      }),
      { numRuns: 150 },
    );
  });
});

describe("transcripts", () => {
  it("round-trips the turns of an iteration in order and ignores a retried turn", async () => {
    const uid = newExecution();
    const base = { executionUid: uid, iteration: 1, model: "gpt-x", provider: "openai" };
    await store.appendTurn({ ...base, seq: 1, role: "assistant", content: { text: "I will write the file", tool_calls: [{ name: "fs.write" }] }, tokensIn: 120, tokensOut: 30, costUsd: 0.0015 });
    await store.appendTurn({ ...base, seq: 0, role: "user", content: [{ type: "text", text: "Write hello.txt" }] });
    expect(await store.appendTurn({ ...base, seq: 1, role: "assistant", content: "a different retry", tokensIn: 999 })).toBe(false);
    await store.appendTurn({ ...base, iteration: 2, seq: 0, role: "user", content: "next", tokensIn: 10, tokensOut: 5, costUsd: 0.0005 });

    const turns = await store.transcriptOf(uid, 1);
    expect(turns.map((t) => [t.seq, t.role])).toEqual([[0, "user"], [1, "assistant"]]);
    expect(turns[1]).toMatchObject({ content: { text: "I will write the file", tool_calls: [{ name: "fs.write" }] }, tokensIn: 120, tokensOut: 30, costUsd: 0.0015, model: "gpt-x", provider: "openai", contentTruncated: false });
    expect(turns[0]).toMatchObject({ tokensIn: 0, tokensOut: 0, costUsd: 0, content: [{ type: "text", text: "Write hello.txt" }] });
  });
});

describe("transcripts, several turns at once", () => {
  it("writes the turns in one call, insert-once like appendTurn, and reads them back alike", async () => {
    const uid = newExecution();
    const base = { executionUid: uid, iteration: 1 };
    expect(await store.appendTurns([])).toBe(0);
    expect(await store.appendTurns([
      { ...base, seq: 0, role: "system", content: { role: "system", content: "Be brief." } },
      { ...base, seq: 1, role: "user", content: { role: "user", content: "hi 'quoted' \"double\" \\ {braces}, é 😀" } },
    ])).toBe(2);
    // The next call resends the prefix: only the new turns are written; the old ones are kept as they were.
    expect(await store.appendTurns([
      { ...base, seq: 0, role: "system", content: "changed" },
      { ...base, seq: 1, role: "user", content: "changed" },
      { ...base, seq: 2, role: "assistant", content: { role: "assistant", content: "hello" }, tokensIn: 12, tokensOut: 3, model: "m", provider: "p", costUsd: 0.25 },
      { ...base, seq: 3, role: "tool", content: null },
    ])).toBe(2);
    expect(await store.appendTurn({ ...base, seq: 3, role: "tool", content: "again" })).toBe(false);

    const turns = await store.transcriptOf(uid, 1);
    expect(turns.map((t) => [t.seq, t.role])).toEqual([[0, "system"], [1, "user"], [2, "assistant"], [3, "tool"]]);
    expect(turns[0]).toMatchObject({ content: { role: "system", content: "Be brief." }, tokensIn: 0, tokensOut: 0, costUsd: 0, model: null, provider: null, contentTruncated: false });
    expect(turns[1]!.content).toEqual({ role: "user", content: "hi 'quoted' \"double\" \\ {braces}, é 😀" });
    expect(turns[2]).toMatchObject({ content: { role: "assistant", content: "hello" }, tokensIn: 12, tokensOut: 3, model: "m", provider: "p", costUsd: 0.25 });
    expect(turns[3]!.content).toBeNull();
  });

  it("writes exactly once under 20 concurrent identical calls, and once for a turn given twice", async () => {
    const uid = newExecution();
    const turns = [0, 1, 2].map((seq) => ({ executionUid: uid, iteration: 0, seq, role: "user" as const, content: `turn ${seq}` }));
    const written = await Promise.all(Array.from({ length: 20 }, () => store.appendTurns(turns)));
    expect(written.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await store.appendTurns([{ ...turns[0]!, seq: 7 }, { ...turns[0]!, seq: 7, content: "dup" }])).toBe(1);
    expect((await store.transcriptOf(uid, 0)).map((t) => t.seq)).toEqual([0, 1, 2, 7]);
  });

  it("bounds each turn's content as appendTurn does, and rejects a bad position before writing any", async () => {
    const uid = newExecution();
    const huge = { blob: "z".repeat(TURN_CONTENT_CAP_BYTES * 2) };
    await store.appendTurns([{ executionUid: uid, iteration: 0, seq: 0, role: "user", content: huge }, { executionUid: uid, iteration: 0, seq: 1, role: "user", content: "\u0000nul" }]);
    const [big, small] = await store.transcriptOf(uid, 0);
    expect(big).toMatchObject({ contentTruncated: true, content: boundJson(huge, TURN_CONTENT_CAP_BYTES).value });
    expect(small).toMatchObject({ contentTruncated: false, content: "\ufffdnul" });
    await expect(store.appendTurns([{ executionUid: uid, iteration: 0, seq: 5, role: "user", content: "ok" }, { executionUid: uid, iteration: 0, seq: -1, role: "user", content: "x" }])).rejects.toThrow(/non-negative/);
    await expect(store.appendTurns([{ executionUid: uid, iteration: 0, seq: 6, role: "user", content: "ok" }, { executionUid: uid, iteration: 0, seq: 7, role: "nobody" as "user", content: "x" }])).rejects.toThrow();
    expect((await store.transcriptOf(uid, 0)).map((t) => t.seq)).toEqual([0, 1]);
  });
});

describe("tool calls", () => {
  it("round-trips the calls of an iteration, idempotent on (execution, iteration, seq)", async () => {
    const uid = newExecution();
    const startedAt = new Date("2026-01-01T00:00:01Z");
    const call = { executionUid: uid, iteration: 1, seq: 0, toolName: "fs.write", arguments: { path: "hello.txt", content: "hi" }, decision: "allow" as const, policyRevision: "rev-7", resultSummary: "wrote 2 bytes", durationMs: 12, startedAt, finishedAt: new Date("2026-01-01T00:00:01.012Z") };
    const writes = await Promise.all(Array.from({ length: 50 }, () => store.recordToolCall(call)));
    expect(writes.filter(Boolean)).toHaveLength(1);
    await store.recordToolCall({ executionUid: uid, iteration: 1, seq: 1, toolName: "cmd.run", arguments: { cmd: "rm -rf /" }, decision: "deny", error: "denied by policy", startedAt });

    const calls = await store.toolCallsOf(uid, 1);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ ...call, id: toolCallId(uid, 1, 0), argumentsTruncated: false, textTruncated: false, error: null });
    expect(calls[1]).toMatchObject({ toolName: "cmd.run", decision: "deny", policyRevision: null, resultSummary: null, error: "denied by policy", durationMs: null, finishedAt: null });
  });

  it("cuts a huge result summary and flags it", async () => {
    const uid = newExecution();
    await store.recordToolCall({ executionUid: uid, iteration: 0, seq: 0, toolName: "fs.read", arguments: {}, decision: "allow", resultSummary: "y".repeat(TEXT_CAP_BYTES * 3), startedAt: new Date() });
    const [call] = await store.toolCallsOf(uid, 0);
    expect(call!.textTruncated).toBe(true);
    expect(call!.resultSummary).toHaveLength(TEXT_CAP_BYTES);
  });
});

describe("totals", () => {
  it("sums tokens and cost over the iterations, and counts turns and tool calls", async () => {
    const uid = newExecution();
    expect(await store.totalsOf(uid)).toEqual({ tokensIn: 0, tokensOut: 0, costUsd: 0, turns: 0, toolCalls: 0 });
    await store.appendTurn({ executionUid: uid, iteration: 1, seq: 0, role: "assistant", content: "a", tokensIn: 100, tokensOut: 10, costUsd: 0.25 });
    await store.appendTurn({ executionUid: uid, iteration: 2, seq: 0, role: "assistant", content: "b", tokensIn: 50, tokensOut: 5, costUsd: 0.5 });
    await store.recordToolCall({ executionUid: uid, iteration: 1, seq: 0, toolName: "fs.list", arguments: {}, decision: "allow", startedAt: new Date() });
    expect(await store.totalsOf(uid)).toEqual({ tokensIn: 150, tokensOut: 15, costUsd: 0.75, turns: 2, toolCalls: 1 });
  });
});
