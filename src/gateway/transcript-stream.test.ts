import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { DomainEvent, HistoryStore, StoredEvent, StoredToolCall, StoredTurn, ToolCall, TranscriptTurn } from "../history/index.ts";
import { createSseParser, type SseEvent } from "../model-server/sse.ts";
import { createHistoryNotifier, notifyingStore, serveTranscript, type Authorize } from "./transcript-stream.ts";

const UID = "11111111-1111-4111-8111-111111111111";

/** An in-memory store: enough of HistoryStore for the stream. */
function memoryStore(): HistoryStore {
  const events: StoredEvent[] = [];
  const turns: StoredTurn[] = [];
  const calls: StoredToolCall[] = [];
  return {
    appendEvent: (e: DomainEvent) => { events.push({ ...e, payloadTruncated: false, recordedAt: new Date() }); return Promise.resolve(true); },
    eventsOf: (uid) => Promise.resolve(events.filter((e) => e.executionUid === uid)),
    appendTurn: (t: TranscriptTurn) => { turns.push({ tokensIn: 0, tokensOut: 0, model: null, provider: null, costUsd: 0, ...t, contentTruncated: false, createdAt: new Date() }); return Promise.resolve(true); },
    appendTurns: () => Promise.resolve(0),
    transcriptOf: (uid, iteration) => Promise.resolve(turns.filter((t) => t.executionUid === uid && t.iteration === iteration)),
    recordToolCall: (c: ToolCall) => { calls.push({ policyRevision: null, resultSummary: null, error: null, durationMs: null, finishedAt: null, ...c, id: `${c.seq}`, argumentsTruncated: false, textTruncated: false, recordedAt: new Date() }); return Promise.resolve(true); },
    toolCallsOf: (uid, iteration) => Promise.resolve(calls.filter((c) => c.executionUid === uid && c.iteration === iteration)),
    totalsOf: () => Promise.resolve({ tokensIn: 0, tokensOut: 0, costUsd: 0, turns: 0, toolCalls: 0 }),
  };
}

const event = (type: string, iteration: number, payload: DomainEvent["payload"] = {}): DomainEvent => ({
  id: `${type}-${iteration}`, executionUid: UID, namespace: "ns", name: "run", iteration, type, payload, occurredAt: new Date(),
});

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => { server?.closeAllConnections(); server?.close(() => resolve()); }));

async function serve(store: HistoryStore, notifier = createHistoryNotifier(), authorize: Authorize = () => Promise.resolve(200)): Promise<string> {
  const s = createServer((req, res) => void serveTranscript(
    { authorize, executionUid: (ns, name) => Promise.resolve(ns === "ns" && name === "run" ? UID : undefined), notifier, rereadMs: 60_000 },
    store, pino({ level: "silent" }), req, res,
  ));
  server = s;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1/executions`;
}

/** Reads the stream, calling `onEvent` for each event as it arrives. */
async function readStream(res: Response, onEvent: (e: SseEvent) => void | Promise<void> = () => undefined): Promise<SseEvent[]> {
  const parser = createSseParser();
  const all: SseEvent[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body ?? []) {
    for (const e of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
      all.push(e);
      await onEvent(e);
    }
  }
  return all;
}

describe("the transcript stream", () => {
  it("replays what history holds and ends without follow", async () => {
    const store = memoryStore();
    await store.appendEvent(event("IterationStarted", 1, { pod: "run-1" }));
    await store.appendTurn({ executionUid: UID, iteration: 1, seq: 0, role: "user", content: { role: "user", content: "hi" } });
    await store.recordToolCall({ executionUid: UID, iteration: 1, seq: 1, toolName: "fs.write", arguments: {}, decision: "allow", startedAt: new Date() });
    const events = await readStream(await fetch(`${await serve(store)}/ns/run/transcript`, { headers: { authorization: "Bearer t" } }));
    expect(events.map((e) => e.event)).toEqual(["event", "turn", "tool", "end"]);
    expect(JSON.parse(events[2]!.data)).toMatchObject({ toolName: "fs.write", decision: "allow", iteration: 1 });
  });

  it("with follow, pushes rows as the notifying store writes them and ends after ExecutionFinished", async () => {
    const notifier = createHistoryNotifier();
    const store = notifyingStore(memoryStore(), notifier);
    await store.appendEvent(event("IterationStarted", 1));
    const res = await fetch(`${await serve(store, notifier)}/ns/run/transcript?follow=true`, { headers: { authorization: "Bearer t" } });
    const seen = await readStream(res, async (e) => {
      // Each row is written only once the previous one arrived: nothing but the notifier can wake the stream (reread: 60 s).
      if (e.event === "event" && JSON.parse(e.data).type === "IterationStarted") {
        await store.appendTurn({ executionUid: UID, iteration: 1, seq: 0, role: "assistant", content: { role: "assistant", content: "ok" } });
      } else if (e.event === "turn") {
        await store.appendEvent(event("ExecutionFinished", 1, { phase: "Succeeded" }));
      }
    });
    expect(seen.map((e) => e.event === "event" ? JSON.parse(e.data).type : e.event)).toEqual(["IterationStarted", "turn", "ExecutionFinished", "end"]);
  });

  it("answers 401 without a valid token, 403 when not allowed, 404 for an unknown execution", async () => {
    const url = await serve(memoryStore(), createHistoryNotifier(), (token) => Promise.resolve(token === "good" ? 200 : token === "other" ? 403 : 401));
    expect((await fetch(`${url}/ns/run/transcript`)).status).toBe(401);
    expect((await fetch(`${url}/ns/run/transcript`, { headers: { authorization: "Bearer bad" } })).status).toBe(401);
    expect((await fetch(`${url}/ns/run/transcript`, { headers: { authorization: "Bearer other" } })).status).toBe(403);
    expect((await fetch(`${url}/ns/gone/transcript`, { headers: { authorization: "Bearer good" } })).status).toBe(404);
    expect((await fetch(`${url}/ns/run/transcript`, { method: "POST", headers: { authorization: "Bearer good" } })).status).toBe(405);
  });
});
