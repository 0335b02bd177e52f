import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { age, formatData, formatDescribe, formatEvents, formatPhaseLine, formatProgress, oneLine, paint, sortEvents, table, useColour } from "./format.ts";

const ANSI = "\u001b[";
const plain = paint(false);

describe("useColour", () => {
  it("colours only a TTY, and never with NO_COLOR", () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  });

  it("paint(false) leaves text alone; paint(true) wraps it in SGR codes", () => {
    expect(plain.red("x")).toBe("x");
    expect(paint(true).red("x")).toBe(`${ANSI}31mx${ANSI}0m`);
  });
});

describe("table", () => {
  it("aligns columns by their widest cell, without trailing spaces", () => {
    expect(table(["A", "BB", "C"], [["long", "1", "x"], ["s", "22222", ""]])).toBe(
      ["A      BB      C", "long   1       x", "s      22222"].join("\n"),
    );
  });

  it("measures coloured cells by their visible width", () => {
    // eslint-disable-next-line no-control-regex
    const t = table(["PHASE", "N"], [[paint(true).green("Succeeded"), "1"], ["Failed", "2"]]).replace(/\u001b\[[0-9;]*m/g, "");
    expect(t.split("\n")).toEqual(["PHASE       N", "Succeeded   1", "Failed      2"]);
  });
});

describe("formatData", () => {
  it("prints JSON and YAML that parse back to the value", () => {
    const value = { metadata: { name: "x" }, status: { phase: "Running", iterations: [{ number: 1, score: 0.5 }] } };
    expect(JSON.parse(formatData(value, "json"))).toEqual(value);
    expect(parse(formatData(value, "yaml"))).toEqual(value);
  });
});

const execution = {
  metadata: { name: "coder-abc12", namespace: "team" },
  spec: { agentRef: { name: "coder" } },
  status: {
    phase: "Succeeded" as const, reason: "ValidatorsPassed", iteration: 2, maxIterations: 5, iterationDisplay: "2/5", score: 0.91,
    tokens: 1500, inputTokens: 1000, outputTokens: 500, cost: 0.0123, outputPreview: "def add(a, b):\n    return a + b", outputTruncated: true,
    iterations: [
      { number: 1, phase: "Failed" as const, exitCode: 0, score: 0.4, confidence: 0.8, feedback: "tests fail:\nadd(1, 2) returned 4" },
      { number: 2, phase: "Succeeded" as const, exitCode: 0, score: 0.91, confidence: 0.95 },
    ],
  },
};

describe("formatDescribe", () => {
  it("shows the run, an iterations table and tokens, cost and the output preview", () => {
    const out = formatDescribe(execution, plain);
    expect(out).not.toContain(ANSI);
    expect(out).toContain("Name:        coder-abc12");
    expect(out).toContain("Runs:        agent coder");
    expect(out).toContain("Phase:       Succeeded (ValidatorsPassed)");
    expect(out).toContain("Iteration:   2/5");
    expect(out).toContain("Tokens:      1500 (input 1000, output 500)");
    expect(out).toContain("Cost:        $0.0123");
    expect(out).toContain("Output preview: (truncated)\n  def add(a, b):\n      return a + b");
    const rows = out.split("\n").filter((l) => /^ {2}(#|\d) /.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ["#", "PHASE", "EXIT", "SCORE", "CONFIDENCE", "FEEDBACK"],
      ["1", "Failed", "0", "0.40", "0.80", "tests fail: add(1, 2) returned 4"],
      ["2", "Succeeded", "0", "0.91", "0.95", "-"],
    ]);
  });

  it("says so when there are no iterations or output yet, and colours the phase on a TTY", () => {
    const out = formatDescribe({ metadata: { name: "x", namespace: "y" }, spec: { agentRef: { name: "a" }, cancel: true } }, plain);
    expect(out).toContain("Phase:       Pending cancel requested");
    expect(out).toContain("Iterations:\n  (none yet)");
    expect(out).toContain("Output preview:\n  (none)");
    expect(formatDescribe(execution, paint(true))).toContain(`${ANSI}32mSucceeded${ANSI}0m`);
  });

  it("cuts long feedback to one line", () => {
    expect(oneLine("a\n b   c", 10)).toBe("a b c");
    expect(oneLine("x".repeat(20), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("events", () => {
  const now = new Date("2026-01-01T01:00:00Z");
  const events = [
    { metadata: { name: "b" }, eventTime: "2026-01-01T00:59:30.000000Z", type: "Warning", reason: "MaxIterationsReached", note: "gave up", reportingController: "aegis.dev/execution-controller" },
    { metadata: { name: "a" }, eventTime: "2026-01-01T00:30:00.000000Z", type: "Normal", reason: "Started", note: "iteration 1", reportingController: "aegis.dev/execution-controller" },
    { metadata: { name: "c", creationTimestamp: "2025-12-30T00:00:00Z" }, type: "Normal", reason: "Old" },
  ];

  it("sorts oldest first, by series, eventTime or creation time", () => {
    expect(sortEvents(events).map((e) => e.metadata.name)).toEqual(["c", "a", "b"]);
    const series = { metadata: { name: "s" }, eventTime: "2026-01-01T00:00:00Z", series: { lastObservedTime: "2026-01-01T02:00:00Z" } };
    expect(sortEvents([series, ...events]).at(-1)?.metadata.name).toBe("s");
  });

  it("prints an AGE TYPE REASON FROM MESSAGE table", () => {
    const rows = formatEvents(events, plain, now).split("\n").map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      ["AGE", "TYPE", "REASON", "FROM", "MESSAGE"],
      ["2d", "Normal", "Old", "-"],
      ["30m", "Normal", "Started", "aegis.dev/execution-controller", "iteration 1"],
      ["30s", "Warning", "MaxIterationsReached", "aegis.dev/execution-controller", "gave up"],
    ]);
    expect(formatEvents([], plain, now)).toBe("No events.");
  });

  it("ages like kubectl", () => {
    expect(age("2026-01-01T00:59:00Z", now)).toBe("60s");
    expect(age("2026-01-01T00:00:00Z", now)).toBe("60m");
    expect(age("2025-12-31T00:00:00Z", now)).toBe("25h");
    expect(age("garbage", now)).toBe("-");
  });
});

describe("watch lines", () => {
  it("shows phase, iteration, score and the final reason", () => {
    expect(formatPhaseLine("x", undefined, plain)).toBe("x  Pending");
    expect(formatPhaseLine("x", { phase: "Refining", iterationDisplay: "2/5", score: 0.5 }, plain)).toBe("x  Refining  iteration 2/5  score 0.50");
    expect(formatPhaseLine("x", { phase: "Failed", reason: "Timeout" }, plain)).toBe("x  Failed  (Timeout)");
    expect(formatProgress("x", "Running", 2500)).toBe("- waiting for x: Running (2s)");
  });
});
