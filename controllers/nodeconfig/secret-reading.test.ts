import { describe, expect, it } from "vitest";
import { KubeApiError } from "../../src/kube/errors.ts";
import { secretFound, secretReadFailed } from "./secret-reading.ts";

describe("secret readings", () => {
  it("keeps a found Secret's key names, sorted, and none of its values", () => {
    const reading = secretFound({ metadata: { name: "llm-keys" }, data: { openai: "c2stc2VjcmV0", anthropic: "c2stb3RoZXI=" } });
    expect(reading).toEqual({ state: "found", keys: ["anthropic", "openai"] });
    expect(JSON.stringify(reading)).not.toMatch(/c2st/);
  });

  it("a Secret without data has no keys", () => {
    expect(secretFound({ metadata: { name: "empty" } })).toEqual({ state: "found", keys: [] });
  });

  it.each([
    { reason: "NotFound is a missing Secret", error: new KubeApiError("NotFound", 404, 'secrets "llm-keys" not found'), want: { state: "notFound" } },
    {
      reason: "Forbidden keeps the API reason, not the server's text",
      error: new KubeApiError("Forbidden", 403, 'secrets "llm-keys" is forbidden: User "system:serviceaccount:aegis-system:aegis-operator" cannot get resource "secrets"'),
      want: { state: "unreadable", reason: "Forbidden" },
    },
    { reason: "an unreachable server", error: new KubeApiError("Unreachable", 0, "connect ECONNREFUSED"), want: { state: "unreadable", reason: "Unreachable" } },
    { reason: "anything else is Unknown", error: new TypeError("boom"), want: { state: "unreadable", reason: "Unknown" } },
  ])("$reason", ({ error, want }) => {
    expect(secretReadFailed(error)).toEqual(want);
  });
});
