// The two wire formats as pure functions: a stream, parsed as a client parses it, equals the non-streaming response.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropicEvents, anthropicResponse } from "./anthropic.ts";
import { openaiChunks, openaiResponse } from "./openai.ts";
import { reassembleAnthropic, reassembleOpenAI } from "./reassemble.ts";
import { buildReply, estimateTokens, type Conversation, type Reply } from "./reply.ts";
import { encodeSse, parseSse } from "./sse.ts";

const args = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o)),
  fc.string(), // invalid JSON, as a script may ask for
);
const reply: fc.Arbitrary<Reply> = fc.record({
  text: fc.option(fc.string({ unit: "grapheme" }), { nil: undefined }),
  toolCalls: fc.array(fc.record({ id: fc.string({ minLength: 1 }), name: fc.string({ minLength: 1 }), arguments: args }), { maxLength: 3 }),
  finish: fc.constantFrom("stop" as const, "tool_calls" as const, "length" as const),
  usage: fc.record({ input: fc.nat(), output: fc.nat() }),
});

describe("SSE streams reassemble to the non-streaming response", () => {
  it("OpenAI chat.completion.chunk + [DONE], with include_usage", () => {
    fc.assert(
      fc.property(reply, (r) => {
        const meta = { id: "chatcmpl-1", created: 1700000000, model: "m" };
        const wire = openaiChunks(r, meta, true).map((c) => encodeSse({ data: JSON.stringify(c) })).join("") + encodeSse({ data: "[DONE]" });
        expect(reassembleOpenAI(parseSse(wire))).toEqual(openaiResponse(r, meta));
      }),
    );
  });

  it("OpenAI without include_usage has no usage in any chunk", () => {
    const r: Reply = { text: "hi", toolCalls: [], finish: "stop", usage: { input: 1, output: 1 } };
    expect(openaiChunks(r, { id: "x", created: 0, model: "m" }, false).some((c) => "usage" in c)).toBe(false);
  });

  it("Anthropic message_start … message_stop (invalid JSON input comes back as the raw text)", () => {
    fc.assert(
      fc.property(reply, (r) => {
        const meta = { id: "msg_1", model: "m" };
        const wire = anthropicEvents(r, meta).map((e) => encodeSse({ event: e.event, data: JSON.stringify(e.data) })).join("");
        const want = anthropicResponse(r, meta);
        // An empty arguments string streams no input_json_delta: the block keeps the start's input {}.
        // (Not arguments that parse to "", such as '""': those stream and come back as "".)
        let call = 0;
        const content = (want["content"] as Record<string, unknown>[]).map((b) => {
          if (b["type"] !== "tool_use") return b;
          return r.toolCalls[call++]?.arguments === "" ? { ...b, input: {} } : b;
        });
        expect(reassembleAnthropic(parseSse(wire))).toEqual({ ...want, content });
      }),
    );
  });
});

describe("buildReply", () => {
  const conversation: Conversation = { model: "m", promptText: "12345678", lastText: "", firstUserText: "", maxTokens: undefined, stream: false };
  const ctx = { conversation, conversationKey: "c", turnIndex: 0, idPrefix: "call_" };

  it("estimates tokens when the script gives none, and finishes with tool_calls when it calls tools", () => {
    const r = buildReply({ toolCalls: [{ name: "fs.read", arguments: { path: "a" } }] }, ctx);
    expect(r.usage).toEqual({ input: 2, output: estimateTokens('fs.read{"path":"a"}') });
    expect(r.finish).toBe("tool_calls");
    expect(r.toolCalls[0]?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(buildReply({ toolCalls: [{ name: "fs.read" }] }, ctx).toolCalls[0]?.id).toBe(r.toolCalls[0]?.id);
  });

  it("keeps the script's usage and raw arguments", () => {
    const r = buildReply({ text: "x", toolCalls: [{ name: "t", rawArguments: "{bad" }], usage: { input: 7, output: 3 } }, ctx);
    expect(r).toMatchObject({ text: "x", usage: { input: 7, output: 3 }, toolCalls: [{ name: "t", arguments: "{bad" }] });
  });

  it("cuts the answer at max tokens with finish length", () => {
    const r = buildReply({ text: "a".repeat(100), toolCalls: [{ name: "t" }] }, { ...ctx, conversation: { ...conversation, maxTokens: 2 } });
    expect(r).toEqual({ text: "aaaaaaaa", toolCalls: [], finish: "length", usage: { input: 2, output: 2 } });
  });
});
