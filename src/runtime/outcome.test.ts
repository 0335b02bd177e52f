import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import { TerminalError } from "./errors.ts";
import { decide, type Settled } from "./outcome.ts";

const terminal = new TerminalError("InvalidSpec", "spec.model is empty");
const conflict = new KubeApiError("Conflict", 409, "the object has been modified");
const notFound = new KubeApiError("NotFound", 404, "not found");
const plain = new Error("boom");

describe("decide", () => {
  it.each<{ reason: string; settled: Settled; want: Record<string, unknown> }>([
    { reason: "an empty result is done", settled: { ok: true, result: {} }, want: { action: "forget", outcome: "success" } },
    { reason: "no result at all is done", settled: { ok: true, result: undefined }, want: { action: "forget", outcome: "success" } },
    { reason: "a zero requeueAfter is done", settled: { ok: true, result: { requeueAfter: 0 } }, want: { action: "forget", outcome: "success" } },
    { reason: "requeueAfter waits on time", settled: { ok: true, result: { requeueAfter: 5000 } }, want: { action: "requeueAfter", outcome: "requeue_after", delayMs: 5000 } },
    { reason: "a thrown error backs off loudly", settled: { ok: false, error: plain }, want: { action: "retry", outcome: "error", quiet: false, error: plain } },
    { reason: "any other API error backs off loudly", settled: { ok: false, error: notFound }, want: { action: "retry", outcome: "error", quiet: false } },
    { reason: "a thrown string is still an error", settled: { ok: false, error: "boom" }, want: { action: "retry", outcome: "error", quiet: false } },
    { reason: "a conflict requeues quietly", settled: { ok: false, error: conflict }, want: { action: "retry", outcome: "requeue", quiet: true } },
    { reason: "a terminal error is not retried", settled: { ok: false, error: terminal }, want: { action: "giveUp", outcome: "terminal", error: terminal } },
  ])("$reason", ({ settled, want }) => {
    expect(decide(settled)).toMatchObject(want);
  });

  it("recognises TerminalError with instanceof and keeps reason and cause", () => {
    const cause = new Error("root");
    const err: unknown = new TerminalError("InvalidSpec", "bad", { cause });
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: "TerminalError", code: "Terminal", reason: "InvalidSpec", cause });
  });
});
