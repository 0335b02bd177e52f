import { describe, expect, it } from "vitest";
import type { KubeObject } from "./kube/types.ts";
import { recordViolation } from "./operator-services.ts";

describe("recordViolation", () => {
  it("publishes a denied tool call as a Warning ToolPolicyViolation Event on its Execution", async () => {
    const recorded: unknown[][] = [];
    await recordViolation({ record: (...args: unknown[]) => { recorded.push(args); return Promise.resolve(); } } as never, {
      namespace: "team-a", execution: "run-1", uid: "u-1", iteration: 2, seq: 3, tool: "fs.delete", code: "PolicyDenied",
      message: 'tool call "fs.delete" denied by policy tools.cedar:no-delete', reasons: ["tools.cedar:no-delete"], policyRevision: "abc@c0ffee",
    });
    expect(recorded).toEqual([[
      { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "run-1", namespace: "team-a", uid: "u-1" } } satisfies KubeObject & { apiVersion: string; kind: string },
      "Warning", "ToolPolicyViolation", 'tool call "fs.delete" denied by policy tools.cedar:no-delete (iteration 2, call 3; policy revision abc@c0ffee)', "AuthorizeToolCall",
    ]]);
  });
});
