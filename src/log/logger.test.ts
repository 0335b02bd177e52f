import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { REDACTED, createLogger, redactFields } from "./logger.ts";

function capture(level = "info"): { lines: () => Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const chunks: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk.toString()), done()) });
  const log = createLogger({ level, base: { identity: "pod-1" }, destination });
  return { log, lines: () => chunks.join("").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("redactFields", () => {
  it.each([
    { reason: "a token field", input: { token: "abc" }, want: { token: REDACTED } },
    { reason: "apiKey in any spelling", input: { apiKey: "k", api_key: "k", "x-api-key": "k" }, want: { apiKey: REDACTED, api_key: REDACTED, "x-api-key": REDACTED } },
    { reason: "nested secrets", input: { spec: { auth: { clientSecret: "s", password: "p" } } }, want: { spec: { auth: { clientSecret: REDACTED, password: REDACTED } } } },
    { reason: "inside arrays", input: { headers: [{ authorization: "Bearer x" }] }, want: { headers: [{ authorization: REDACTED }] } },
    { reason: "harmless fields stay", input: { name: "a", count: 3, tokens: undefined }, want: { name: "a", count: 3, tokens: undefined } },
    { reason: "empty values say nothing, so they stay", input: { token: "" }, want: { token: "" } },
  ])("redacts $reason", ({ input, want }) => {
    expect(redactFields(input)).toEqual(want);
  });

  it("does not change its input", () => {
    const input = { token: "abc" };
    redactFields(input);
    expect(input.token).toBe("abc");
  });
});

describe("createLogger", () => {
  it("writes JSON lines with the level label, base fields and redacted secrets (also in child bindings)", () => {
    const { log, lines } = capture();
    log.child({ apiKey: "sk-123" }).info({ controller: "agent", secretRef: { token: "t" } }, "Became leader");
    log.debug("not written at info");
    expect(lines()).toEqual([
      expect.objectContaining({ level: "info", identity: "pod-1", apiKey: REDACTED, controller: "agent", secretRef: REDACTED, msg: "Became leader" }),
    ]);
  });

  it("keeps errors serialised", () => {
    const { log, lines } = capture();
    log.error({ err: new Error("boom") }, "Reconciler error");
    expect(lines()[0]).toMatchObject({ err: { message: "boom", type: "Error" } });
  });
});
