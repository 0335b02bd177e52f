import { describe, expect, it } from "vitest";
import { selects } from "./selector.ts";

const node = { "aegis.dev/role": "edge", zone: "eu-1" };

describe("selects", () => {
  it.each([
    { reason: "an absent selector selects every node", selector: undefined, want: true },
    { reason: "an empty selector selects every node", selector: {}, want: true },
    { reason: "matchLabels must all be present with equal values", selector: { matchLabels: { "aegis.dev/role": "edge" } }, want: true },
    { reason: "a different value does not match", selector: { matchLabels: { "aegis.dev/role": "orchestrator" } }, want: false },
    { reason: "In matches one of the values", selector: { matchExpressions: [{ key: "zone", operator: "In", values: ["eu-1", "eu-2"] }] }, want: true },
    { reason: "NotIn matches a missing key", selector: { matchExpressions: [{ key: "gpu", operator: "NotIn", values: ["a"] }] }, want: true },
    { reason: "NotIn rejects a listed value", selector: { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["eu-1"] }] }, want: false },
    { reason: "Exists needs the key", selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] }, want: false },
    { reason: "DoesNotExist needs the key absent", selector: { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }, want: true },
    { reason: "labels and expressions are ANDed", selector: { matchLabels: { zone: "eu-1" }, matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, want: false },
    { reason: "an unknown operator selects nothing instead of throwing", selector: { matchExpressions: [{ key: "zone", operator: "Near" }] }, want: false },
    { reason: "a malformed selector selects nothing instead of throwing", selector: "zone=eu-1", want: false },
  ])("$reason", ({ selector, want }) => {
    expect(selects(selector as never, node)).toBe(want);
  });
});
