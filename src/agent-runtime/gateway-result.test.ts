// Pure: the result of a tool the gateway ran (MCP), as the runtime reads it and the model sees it.
import { describe, expect, it } from "vitest";
import { gatewayResult } from "./gateway-client.ts";
import { gatewayResultText } from "./tool-calls.ts";

describe("gatewayResult / gatewayResultText", () => {
  it("takes a result only when it has a boolean ok", () => {
    expect(gatewayResult(undefined)).toBeUndefined();
    expect(gatewayResult({ ok: "yes" })).toBeUndefined();
    expect(gatewayResult({ ok: true, content: { n: 1 } })).toEqual({ ok: true, content: { n: 1 } });
    expect(gatewayResult({ ok: true })).toEqual({ ok: true, content: "" });
    expect(gatewayResult({ ok: false })).toEqual({ ok: false, error: "the tool failed" });
  });
  it("shows content as the answer and an error as a ToolFailed tool error", () => {
    expect(gatewayResultText({ ok: true, content: "42" })).toBe('"42"');
    expect(JSON.parse(gatewayResultText({ ok: false, error: "down" }))).toEqual({ error: { code: "ToolFailed", message: "down" } });
    expect(JSON.parse(gatewayResultText({ ok: false, error: { code: 1 } }))).toEqual({ error: { code: "ToolFailed", message: '{"code":1}' } });
  });
});
