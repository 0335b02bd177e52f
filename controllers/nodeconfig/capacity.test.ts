import { describe, expect, it } from "vitest";
import { parseQuantity, totalCapacity } from "./capacity.ts";

describe("totalCapacity", () => {
  it.each([
    { reason: "no nodes have no capacity", nodes: [], want: {} },
    { reason: "whole cpus add up", nodes: [{ cpu: "2" }, { cpu: "4" }], want: { cpu: "6" } },
    { reason: "millicpus keep their precision", nodes: [{ cpu: "500m" }, { cpu: "1" }], want: { cpu: "1500m" } },
    { reason: "binary memory keeps a binary suffix", nodes: [{ memory: "16Gi" }, { memory: "16Gi" }], want: { memory: "32Gi" } },
    { reason: "Ki from a kubelet sums to the largest dividing suffix", nodes: [{ memory: "1024Ki" }, { memory: "3Mi" }], want: { memory: "4Mi" } },
    { reason: "plain counts stay plain", nodes: [{ pods: "110" }, { pods: 110 }], want: { pods: "220" } },
    { reason: "resources missing on some nodes still sum", nodes: [{ cpu: "1", "nvidia.com/gpu": "1" }, { cpu: "1" }], want: { cpu: "2", "nvidia.com/gpu": "1" } },
    { reason: "decimal suffixes are expanded", nodes: [{ storage: "1G" }, { storage: "1k" }], want: { storage: "1000001000" } },
    { reason: "garbage values and nodes are skipped", nodes: [{ cpu: "lots" }, null, "x", { cpu: "1" }], want: { cpu: "1" } },
  ])("$reason", ({ nodes, want }) => {
    expect(totalCapacity(nodes)).toEqual(want);
  });

  it.each([
    { reason: "an exponent is a decimal power", text: "1e3", want: 1_000_000 },
    { reason: "a fraction with a suffix", text: "1.5Gi", want: 1.5 * 2 ** 30 * 1000 },
    { reason: "not a quantity", text: "1.2.3", want: undefined },
  ])("parseQuantity: $reason", ({ text, want }) => {
    expect(parseQuantity(text)?.milli).toBe(want);
  });
});
