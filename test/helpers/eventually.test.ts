import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";

describe("eventually", () => {
  it("returns the value once the function stops throwing", async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls += 1;
      if (calls < 3) throw new Error("not yet");
      return "ready";
    }, { intervalMs: 1 });
    expect(value).toBe("ready");
    expect(calls).toBe(3);
  });

  it("fails with the last error when the condition never holds", async () => {
    await expect(eventually(() => { throw new Error("pod is Pending"); }, { timeoutMs: 30, intervalMs: 5, message: "pod Succeeded" })).rejects.toThrow(
      /pod Succeeded did not hold within 30 ms: pod is Pending/,
    );
  });
});
