// Test helper: a Judge answering from a table keyed by judge agent name.
import type { Judge, JudgeRequest, JudgeVerdict } from "./types.ts";

export type FakeAnswer = JudgeVerdict | Error | "hang" | ((r: JudgeRequest) => Promise<JudgeVerdict>);

export function fakeJudge(answers: Record<string, FakeAnswer>): Judge & { calls: JudgeRequest[] } {
  const calls: JudgeRequest[] = [];
  return {
    calls,
    judge(request) {
      calls.push(request);
      const a = answers[request.judgeAgent ?? ""];
      if (a === undefined) return Promise.reject(new Error(`no such judge ${request.judgeAgent}`));
      if (a === "hang") return new Promise<never>(() => {});
      if (a instanceof Error) return Promise.reject(a);
      if (typeof a === "function") return a(request);
      return Promise.resolve(a);
    },
  };
}
