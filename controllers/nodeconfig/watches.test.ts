import { describe, expect, it } from "vitest";
import { labelFieldManager } from "./labels.ts";
import { nodeConfigsForNode } from "./watches.ts";

const nc = (name: string, spec: Record<string, unknown>) => ({ metadata: { name }, spec });
const gpu = nc("gpu", { type: "Edge", nodeSelector: { matchLabels: { pool: "gpu" } } });
const all = nc("all", { type: "Edge" });

describe("map functions", () => {
  it.each([
    { reason: "a node concerns the configs selecting it", labels: { pool: "gpu" }, fields: undefined, want: ["gpu", "all"] },
    { reason: "an unselected node concerns only the catch-all", labels: {}, fields: undefined, want: ["all"] },
    {
      reason: "a node still carrying a config's labels concerns it, so it can release them",
      labels: {}, fields: [{ manager: labelFieldManager("gpu"), operation: "Apply", fieldsV1: { "f:metadata": { "f:labels": { "f:tag.aegis.dev/x": {} } } } }],
      want: ["gpu", "all"],
    },
  ])("$reason", ({ labels, fields, want }) => {
    const node = { metadata: { name: "n1", labels: labels as Record<string, string>, managedFields: fields } };
    expect(nodeConfigsForNode([gpu, all], node).map((r) => r.name)).toEqual(want);
  });
});
