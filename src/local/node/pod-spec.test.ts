import { describe, expect, it } from "vitest";
import { environHasRoot } from "./orphans.ts";
import { isTerminalPhase, parsePod } from "./pod-spec.ts";

describe("parsePod", () => {
  it("accepts a pod as the typed client returns it (Dates) and as a watch does (strings)", () => {
    const base = { metadata: { name: "p", namespace: "n", uid: "u" }, spec: { containers: [{ name: "c", image: "busybox" }] } };
    const fromWatch = parsePod({ ...base, metadata: { ...base.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } });
    const fromClient = parsePod({ ...base, metadata: { ...base.metadata, deletionTimestamp: new Date("2026-01-01T00:00:00Z") } });
    expect(fromWatch.ok && fromWatch.pod.metadata.deletionTimestamp).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(fromClient.ok && fromClient.pod.metadata.deletionTimestamp).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(fromWatch.ok && fromWatch.pod.spec.restartPolicy).toBe("Always");
  });

  it.each([
    [{ metadata: { name: "p", namespace: "n", uid: "u" }, spec: { containers: [] } }, "spec.containers"],
    [{ metadata: { name: "p", namespace: "n", uid: "u" }, spec: { containers: [{ name: "c", command: "sh -c x" }] } }, "spec.containers.0.command"],
    [{ metadata: { name: "p", namespace: "n", uid: "u" }, spec: { restartPolicy: "Sometimes", containers: [{ name: "c" }] } }, "spec.restartPolicy"],
  ])("fails %j with a message naming %s, keeping the identity", (raw, path) => {
    const r = parsePod(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(path);
      expect(r.identity).toEqual({ name: "p", namespace: "n", uid: "u" });
    }
  });

  it.each([null, 42, "pod", {}, { metadata: {} }])("never throws on garbage like %j", (raw) => {
    const r = parsePod(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.identity).toBeUndefined();
  });

  it.each([
    ["Succeeded", true],
    ["Failed", true],
    ["Running", false],
    [undefined, false],
  ])("phase %s is terminal: %s", (phase, expected) => {
    expect(isTerminalPhase(phase)).toBe(expected);
  });
});

describe("environHasRoot", () => {
  it("matches the exact pod root only", () => {
    expect(environHasRoot("A=1\0AEGIS_POD_ROOT=/h/pods/u/root\0B=2", "/h/pods/u/root")).toBe(true);
    expect(environHasRoot("AEGIS_POD_ROOT=/h/pods/u/root2", "/h/pods/u/root")).toBe(false);
    expect(environHasRoot("", "/h/pods/u/root")).toBe(false);
  });
});
