// Provider streams → neutral deltas → the agent's chunks and the collected answer (pure): the
// scripted server's own stream encoders are the provider, in both formats.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropicEvents, anthropicResponse } from "../model-server/anthropic.ts";
import { openaiChunks, openaiResponse } from "../model-server/openai.ts";
import { reassembleOpenAI } from "../model-server/reassemble.ts";
import type { Reply } from "../model-server/reply.ts";
import type { SseEvent } from "../model-server/sse.ts";
import { createAgentChunks, createChatCollector } from "./chat-stream.ts";
import type { ChatDelta, ChatResult } from "./providers/types.ts";
import { toolNameTable } from "./tool-name-table.ts";
import { anthropicStreamDecoder, fromAnthropicResponse } from "./translate-anthropic.ts";
import { fromOpenAIResponse, openaiStreamDecoder, type StreamDecoder } from "./translate-openai.ts";

const names = ["fs.write", "mcp:github.get_file", "cmd-run"];
const table = toolNameTable(names);
const fromWire = (wire: string): string => table.fromWire(wire);

/** What the model answers (tool names as the provider saw them, i.e. encoded). */
const reply: fc.Arbitrary<Reply> = fc.record({
  text: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  toolCalls: fc.array(fc.record({
    id: fc.stringMatching(/^call_[a-z0-9]{4}$/),
    name: fc.constantFrom(...names).map((n) => table.toWire(n)),
    arguments: fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((a) => JSON.stringify(a)),
  }), { maxLength: 3 }),
  finish: fc.constantFrom("stop" as const, "tool_calls" as const, "length" as const),
  usage: fc.record({ input: fc.nat(10_000), output: fc.nat(10_000) }),
});

function run(decoder: StreamDecoder, events: SseEvent[]): ChatDelta[] {
  return [...events.flatMap((e) => decoder.event(e)), ...decoder.end()];
}

const decoded = (r: ChatResult): ChatResult => ({ ...r, toolCalls: r.toolCalls.map((c) => ({ ...c, name: fromWire(c.name) })) });
const meta = { id: "chatcmpl-1", created: 1, model: "smart" };

describe.each([
  {
    format: "openai",
    events: (r: Reply): SseEvent[] => [...openaiChunks(r, { id: "x", created: 0, model: "m" }, true).map((c) => ({ data: JSON.stringify(c) })), { data: "[DONE]" }],
    whole: (r: Reply): ChatResult => fromOpenAIResponse(openaiResponse(r, { id: "x", created: 0, model: "m" })),
    decoder: () => openaiStreamDecoder(fromWire),
  },
  {
    format: "anthropic",
    events: (r: Reply): SseEvent[] => anthropicEvents(r, { id: "x", model: "m" }).map((e) => ({ event: e.event, data: JSON.stringify(e.data) })),
    whole: (r: Reply): ChatResult => fromAnthropicResponse(anthropicResponse(r, { id: "x", model: "m" })),
    decoder: () => anthropicStreamDecoder(fromWire),
  },
])("$format provider stream", ({ events, whole, decoder }) => {
  it("collects to the non-streaming answer, and the agent's chunks reassemble to its chat.completion", () => {
    fc.assert(fc.property(reply, (r) => {
      const deltas = run(decoder(), events(r));
      const collector = createChatCollector();
      const agent = createAgentChunks(meta, true);
      const chunks = deltas.flatMap((d) => (collector.add(d), agent.push(d)));
      const result = collector.result();
      expect(result).toEqual(decoded(whole(r)));
      const wire = [...chunks, ...agent.end(result)].map((c) => ({ data: JSON.stringify(c) }));
      expect(reassembleOpenAI([...wire, { data: "[DONE]" }])).toEqual(openaiResponse(result, meta));
    }));
  });

  it("names each tool call once, decoded, before its arguments", () => {
    const deltas = run(decoder(), events({ text: undefined, toolCalls: [{ id: "c1", name: "fs--write", arguments: '{"a":1}' }], finish: "tool_calls", usage: { input: 1, output: 1 } }));
    expect(deltas.filter((d) => d.type.startsWith("tool"))).toEqual([
      { type: "tool-call", index: 0, id: "c1", name: "fs.write" },
      { type: "tool-arguments", index: 0, arguments: '{"a":1}' },
    ]);
  });

  it("throws when the stream ends before its end marker", () => {
    const all = events({ text: "cut", toolCalls: [], finish: "stop", usage: { input: 1, output: 1 } });
    const d = decoder();
    for (const e of all.slice(0, -1)) d.event(e);
    expect(() => d.end()).toThrow(/ended before/);
  });
});

describe("OpenAI tool-call name in pieces", () => {
  const chunk = (toolCalls: unknown[], finish: string | null = null): SseEvent => ({ data: JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: finish }] }) });

  it("is decoded once complete: when its arguments start, when the next call starts, or at the finish", () => {
    const d = openaiStreamDecoder(fromWire);
    const out = [
      chunk([{ index: 0, id: "a", type: "function", function: { name: "fs-", arguments: "" } }]),
      chunk([{ index: 0, function: { name: "-write" } }]),
      chunk([{ index: 0, function: { arguments: '{"p":' } }]),
      chunk([{ index: 0, function: { arguments: "1}" } }]),
      chunk([{ index: 1, id: "b", function: { name: "mcp-3a_github" } }]),
      chunk([{ index: 1, function: { name: "--get_file" } }]),
      chunk([{ index: 2, id: "c", function: { name: "cmd-_run" } }]),
      chunk([], "tool_calls"),
      { data: "[DONE]" },
    ].flatMap((e) => d.event(e));
    expect(out).toEqual([
      { type: "tool-call", index: 0, id: "a", name: "fs.write" },
      { type: "tool-arguments", index: 0, arguments: '{"p":' },
      { type: "tool-arguments", index: 0, arguments: "1}" },
      { type: "tool-call", index: 1, id: "b", name: "mcp:github.get_file" },
      { type: "tool-call", index: 2, id: "c", name: "cmd-run" },
      { type: "finish", finish: "tool_calls" },
    ]);
  });

  it("throws on an error the provider streams", () => {
    expect(() => openaiStreamDecoder(fromWire).event({ data: JSON.stringify({ error: { message: "overloaded" } }) })).toThrow(/overloaded/);
    expect(() => anthropicStreamDecoder(fromWire).event({ event: "error", data: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "busy" } }) })).toThrow(/busy/);
  });
});
