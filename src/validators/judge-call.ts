// One guarded judge call: a timeout (the validator's `timeout`, default 300s) and a check of the
// verdict. A throw, a timeout, or a score/confidence that is not a finite number in [0, 1] becomes
// an error value — judges are model output and the controller must never crash on them.
import { parseDuration } from "./duration.ts";
import { describeError } from "./result.ts";
import { truncate } from "./text.ts";
import type { Judge, JudgeRequest, JudgeVerdict } from "./types.ts";

export const DEFAULT_JUDGE_TIMEOUT_MS = 300_000;
/** Reasoning kept per judge (it ends up in feedback, which is bounded anyway). */
const MAX_REASONING = 1024;

export type JudgeOutcome = { ok: true; verdict: JudgeVerdict } | { ok: false; error: string };

/** setTimeout's ceiling: a longer delay would fire at once (Node clamps overflow to 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function judgeTimeoutMs(timeout: string | undefined): number {
  const ms = (timeout === undefined ? undefined : parseDuration(timeout)) ?? DEFAULT_JUDGE_TIMEOUT_MS;
  return Math.min(ms, MAX_TIMER_MS);
}

export async function callJudge(judge: Judge, request: Omit<JudgeRequest, "signal">, timeoutMs: number): Promise<JudgeOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<JudgeOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const answered = (async (): Promise<JudgeOutcome> => {
    try {
      return checkVerdict(await judge.judge({ ...request, signal: controller.signal }));
    } catch (err) {
      return { ok: false, error: `failed: ${describeError(err)}` };
    }
  })();
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function checkVerdict(v: unknown): JudgeOutcome {
  if (typeof v !== "object" || v === null) return { ok: false, error: "returned no verdict object" };
  const { score, confidence, reasoning } = v as Record<string, unknown>;
  for (const [name, n] of [["score", score], ["confidence", confidence]] as const) {
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > 1) {
      return { ok: false, error: `returned an invalid ${name} ${truncate(String(n), 40)} (must be a number in [0, 1])` };
    }
  }
  return {
    ok: true,
    verdict: {
      score: score as number,
      confidence: confidence as number,
      reasoning: truncate(typeof reasoning === "string" ? reasoning : "", MAX_REASONING),
    },
  };
}
