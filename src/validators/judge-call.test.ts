import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.ts";
import { DEFAULT_JUDGE_TIMEOUT_MS, judgeTimeoutMs } from "./judge-call.ts";

describe("judge timeouts", () => {
  it.each([
    { why: "seconds", text: "90s", ms: 90_000 },
    { why: "compound hours and minutes", text: "1h30m", ms: 5_400_000 },
    { why: "milliseconds are not minutes", text: "500ms", ms: 500 },
    { why: "garbage is not a duration", text: "soon", ms: undefined },
    { why: "a bare number has no unit", text: "90", ms: undefined },
  ])("parseDuration: $why", ({ text, ms }) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("defaults to 300s and clamps to what setTimeout can wait", () => {
    expect(judgeTimeoutMs(undefined)).toBe(DEFAULT_JUDGE_TIMEOUT_MS);
    expect(judgeTimeoutMs("nonsense")).toBe(DEFAULT_JUDGE_TIMEOUT_MS);
    expect(judgeTimeoutMs("10000h")).toBe(2 ** 31 - 1);
  });
});
