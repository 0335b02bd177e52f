import { describe, expect, it } from "vitest";
import { formatTranscriptEntry } from "./logs.ts";

describe("formatTranscriptEntry", () => {
  it("prints turns, tool calls and events as one line each", () => {
    expect(formatTranscriptEntry("turn", { iteration: 1, role: "assistant", content: { role: "assistant", content: "Writing.", tool_calls: [{ function: { name: "fs.write" } }] } }))
      .toBe("[iteration 1] assistant: Writing. → calls fs.write");
    expect(formatTranscriptEntry("turn", { iteration: 1, role: "tool", content: {} })).toBeUndefined();
    expect(formatTranscriptEntry("turn", { iteration: 1, role: "system", content: {} })).toBeUndefined();
    expect(formatTranscriptEntry("tool", { iteration: 1, toolName: "fs.write", decision: "allow", policyRevision: "abcdef0123456789", durationMs: 4, error: null }))
      .toBe("[iteration 1] tool fs.write allow (policy abcdef012345) ok 4ms");
    expect(formatTranscriptEntry("tool", { iteration: 2, toolName: "net.get", decision: "deny", error: "not allowed" })).toBe("[iteration 2] tool net.get deny: not allowed");
    expect(formatTranscriptEntry("event", { iteration: 1, type: "IterationValidated", payload: { passed: false, score: 0, confidence: 1, feedback: "Regex (score 0.00): no DONE" } }))
      .toBe("[iteration 1] validated: failed score 0.00 confidence 1.00 — Regex (score 0.00): no DONE");
    expect(formatTranscriptEntry("event", { iteration: 2, type: "ExecutionFinished", payload: { phase: "Succeeded", reason: "ValidatorsPassed", score: 1 } }))
      .toBe("execution finished: Succeeded (ValidatorsPassed) score 1.00");
    expect(formatTranscriptEntry("event", { iteration: 1, type: "IterationOutput", payload: { output: "a\nb", exitCode: 0 } })).toBe("[iteration 1] output (exit 0): a b");
    expect(formatTranscriptEntry("event", { iteration: 1, type: "SealRejected", payload: { code: "X" } })).toBe("[iteration 1] SealRejected {\"code\":\"X\"}");
  });
});
