import { describe, expect, it } from "vitest";
import { buildEvent, microTime } from "./events.ts";

const agent = { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "a", namespace: "ns", uid: "u1", resourceVersion: "7" } };
const opts = { reportingController: "aegis.dev/agent-controller", reportingInstance: "op-0", now: new Date("2026-01-02T03:04:05.678Z"), suffix: "abc" };

describe("buildEvent", () => {
  it("builds an events.k8s.io/v1 Event about the object", () => {
    expect(buildEvent(agent, "Warning", "ModelNotFound", "alias gpt-5 is not served", "Resolve", opts)).toEqual({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: `a.${opts.now.getTime().toString(16)}abc`, namespace: "ns" },
      eventTime: "2026-01-02T03:04:05.678000Z",
      type: "Warning",
      reason: "ModelNotFound",
      action: "Resolve",
      note: "alias gpt-5 is not served",
      reportingController: "aegis.dev/agent-controller",
      reportingInstance: "op-0",
      regarding: { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", name: "a", namespace: "ns", uid: "u1", resourceVersion: "7" },
    });
  });

  it("never puts secrets in the note and keeps it within 1 kB", () => {
    const event = buildEvent(agent, "Warning", "Failed", `provider said: api_key=sk-abcdefghijklmnopqrstuvwx ${"x".repeat(5000)}`, "Call", opts);
    expect(event.note).not.toContain("sk-abcdefghijklmnopqrstuvwx");
    expect(Buffer.byteLength(event.note as string)).toBeLessThanOrEqual(1024);
  });

  it("puts events of cluster-scoped objects in default", () => {
    const nc = { apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: "orch" } };
    const event = buildEvent(nc, "Normal", "Ready", "ok", "Reconcile", opts);
    expect(event.metadata.namespace).toBe("default");
    expect(event.regarding).toEqual({ apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", name: "orch" });
  });

  it("writes eventTime with microseconds", () => {
    expect(microTime(new Date("2026-01-01T00:00:00.001Z"))).toBe("2026-01-01T00:00:00.001000Z");
  });
});
