import { describe, expect, it } from "vitest";
import { createRequestLog, redactHeaders, type LoggedRequest } from "./request-log.ts";

function entry(seq: number, model: string, conversation: string): LoggedRequest {
  return { seq, at: "", api: "openai", path: "/v1/chat/completions", headers: {}, body: {}, model, conversation, status: 200, outcome: "turn", turnIndex: 0 };
}

describe("request log", () => {
  it("filters by model and conversation and keeps only the newest entries", () => {
    const log = createRequestLog(3);
    for (const [m, c] of [["a", "1"], ["b", "1"], ["a", "2"], ["a", "1"]] as const) log.add(entry(log.nextSeq(), m, c));
    expect(log.list().map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(log.list({ model: "a" }).map((e) => e.seq)).toEqual([3, 4]);
    expect(log.list({ model: "a", conversation: "1" }).map((e) => e.seq)).toEqual([4]);
    log.clear();
    expect(log.list()).toEqual([]);
    expect(log.nextSeq()).toBe(5);
  });

  it("redacts credentials", () => {
    expect(redactHeaders({ authorization: "Bearer k", "x-api-key": "k", accept: ["a", "b"], host: undefined })).toEqual({
      authorization: "[redacted]",
      "x-api-key": "[redacted]",
      accept: "a, b",
    });
  });
});
