import { describe, expect, it } from "vitest";
import { labelFieldManager, ownedLabelKeys, planLabels, type NodeLabelState } from "./labels.ts";

const manager = labelFieldManager("gpu-pool");
const owns = (...keys: string[]) => [{
  manager, operation: "Apply",
  fieldsV1: { "f:metadata": { "f:labels": Object.fromEntries(keys.map((k) => [`f:${k}`, {}])) } },
}];
const node = (over: Partial<NodeLabelState>): NodeLabelState => ({ name: "n1", uid: "u1", labels: {}, selected: true, ...over });

describe("planLabels", () => {
  it.each([
    { reason: "a selected node without the labels gets them", nodes: [node({})], tags: ["gpu"], want: [{ node: "n1", uid: "u1", labels: { "tag.aegis.dev/gpu": "true" } }] },
    {
      reason: "a selected node already labelled and owned needs nothing (no spurious writes)",
      nodes: [node({ labels: { "tag.aegis.dev/gpu": "true" }, managedFields: owns("tag.aegis.dev/gpu") })], tags: ["gpu"], want: [],
    },
    {
      reason: "a label present but owned by someone else is applied to take co-ownership",
      nodes: [node({ labels: { "tag.aegis.dev/gpu": "true" } })], tags: ["gpu"], want: [{ node: "n1", uid: "u1", labels: { "tag.aegis.dev/gpu": "true" } }],
    },
    {
      reason: "a removed tag makes the remaining set be applied, which drops the old label",
      nodes: [node({ labels: { "tag.aegis.dev/gpu": "true", "tag.aegis.dev/eu": "true" }, managedFields: owns("tag.aegis.dev/gpu", "tag.aegis.dev/eu") })],
      tags: ["eu"], want: [{ node: "n1", uid: "u1", labels: { "tag.aegis.dev/eu": "true" } }],
    },
    {
      reason: "a node no longer selected that we labelled is released with an empty apply",
      nodes: [node({ selected: false, labels: { "tag.aegis.dev/gpu": "true" }, managedFields: owns("tag.aegis.dev/gpu") })], tags: ["gpu"],
      want: [{ node: "n1", uid: "u1", labels: {} }],
    },
    { reason: "an unselected node we never labelled is left alone", nodes: [node({ selected: false })], tags: ["gpu"], want: [] },
    { reason: "no tags and nothing owned needs nothing", nodes: [node({})], tags: [], want: [] },
  ])("$reason", ({ nodes, tags, want }) => {
    expect(planLabels(nodes, tags, manager)).toEqual(want);
  });

  it("reads only our manager's Apply entries", () => {
    const fields = [...owns("a"), { manager: "kubelet", operation: "Update", fieldsV1: { "f:metadata": { "f:labels": { "f:b": {} } } } }];
    expect(ownedLabelKeys(fields, manager)).toEqual(["a"]);
  });

  it("keeps field managers within the API's 128 characters", () => {
    expect(labelFieldManager("x".repeat(253)).length).toBeLessThanOrEqual(128);
    expect(labelFieldManager("x".repeat(253))).not.toBe(labelFieldManager(`${"x".repeat(252)}y`));
  });
});
