import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, GATEWAY_LABEL, SERVING, retryDelayMs, servingLabelPatch } from "./serving-label.ts";

const PATH = "/metadata/labels/aegis.dev~1gateway";

describe("servingLabelPatch", () => {
  it("adds the label beside the Pod's other labels when leading", () => {
    expect(servingLabelPatch({ labels: { app: "aegis" }, resourceVersion: "7" }, true)).toEqual([{ op: "add", path: PATH, value: SERVING }]);
  });

  it("replaces another value of the label when leading", () => {
    expect(servingLabelPatch({ labels: { [GATEWAY_LABEL]: "draining" } }, true)).toEqual([{ op: "add", path: PATH, value: SERVING }]);
  });

  it("creates the label map of a Pod without labels, only on the version it read", () => {
    expect(servingLabelPatch({ resourceVersion: "42" }, true)).toEqual([
      { op: "test", path: "/metadata/resourceVersion", value: "42" },
      { op: "add", path: "/metadata/labels", value: { [GATEWAY_LABEL]: SERVING } },
    ]);
  });

  it("removes the label, whatever its value, testing it first", () => {
    for (const value of [SERVING, "other", ""]) {
      expect(servingLabelPatch({ labels: { app: "aegis", [GATEWAY_LABEL]: value } }, false)).toEqual([
        { op: "test", path: PATH, value },
        { op: "remove", path: PATH },
      ]);
    }
  });

  it("patches nothing when the Pod is already as wanted", () => {
    expect(servingLabelPatch({ labels: { [GATEWAY_LABEL]: SERVING } }, true)).toEqual([]);
    expect(servingLabelPatch({ labels: { app: "aegis" } }, false)).toEqual([]);
    expect(servingLabelPatch({}, false)).toEqual([]);
  });
});

describe("retryDelayMs", () => {
  it("doubles from the base up to the cap, then gives up after the last attempt", () => {
    const options = { attempts: 6, baseDelayMs: 250, maxDelayMs: 1_500 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, options))).toEqual([250, 500, 1_000, 1_500, 1_500, undefined]);
  });

  it("by default retries a few times within a few seconds, well inside the 30 s grace period", () => {
    const delays = Array.from({ length: DEFAULT_RETRY.attempts }, (_, i) => retryDelayMs(i + 1));
    expect(delays.at(-1)).toBeUndefined();
    const total = delays.reduce<number>((sum, d) => sum + (d ?? 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(10_000);
  });
});
