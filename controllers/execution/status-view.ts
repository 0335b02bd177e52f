/**
 * The Execution status this controller owns, read leniently from whatever the object carries
 * (a garbage status reads as a fresh Pending one), and the bounded per-iteration summaries.
 */
import { z } from "zod";
import { EXECUTION_PHASES, FEEDBACK_LENGTH, MAX_ITERATION_SUMMARIES } from "../../src/api/schema/execution.ts";

export type ExecutionPhase = (typeof EXECUTION_PHASES)[number];
export const TERMINAL_PHASES: readonly ExecutionPhase[] = ["Succeeded", "Failed", "Cancelled"];
export const isTerminal = (phase: ExecutionPhase): boolean => TERMINAL_PHASES.includes(phase);

const summary = z.object({
  number: z.number().int().min(1).max(20),
  phase: z.enum(["Running", "Validating", "Succeeded", "Failed"]),
  podName: z.string().optional(),
  exitCode: z.number().int().min(0).max(255).optional(),
  score: z.number().min(0).max(1).optional(),
  confidence: z.number().min(0).max(1).optional(),
  feedback: z.string().optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
});

export type IterationSummary = z.infer<typeof summary>;

const statusView = z.object({
  phase: z.enum(EXECUTION_PHASES).catch("Pending"),
  iteration: z.number().int().min(0).max(20).catch(0),
  score: z.number().min(0).max(1).optional().catch(undefined),
  iterations: z.array(summary).catch([]),
  podName: z.string().optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  startTime: z.string().optional().catch(undefined),
  completionTime: z.string().optional().catch(undefined),
  tokens: z.number().int().min(0).optional().catch(undefined),
  inputTokens: z.number().int().min(0).optional().catch(undefined),
  outputTokens: z.number().int().min(0).optional().catch(undefined),
  cost: z.number().min(0).optional().catch(undefined),
  outputPreview: z.string().optional().catch(undefined),
  outputTruncated: z.boolean().optional().catch(undefined),
});

export type ExecutionStatusView = z.infer<typeof statusView> & { readonly maxIterations?: number };

export function readExecutionStatus(raw: unknown): ExecutionStatusView {
  const parsed = statusView.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { phase: "Pending", iteration: 0, iterations: [] };
}

/** A summary without undefined keys (the server drops them; a deep compare must not see them). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `summaries` with iteration `next.number` replaced or added, oldest first, at most the API's bound. */
export function withSummary(summaries: readonly IterationSummary[], next: IterationSummary): IterationSummary[] {
  const bounded = compact({ ...next, feedback: next.feedback?.slice(0, FEEDBACK_LENGTH) });
  const others = summaries.filter((s) => s.number !== next.number);
  return [...others, bounded].sort((a, b) => a.number - b.number).slice(-MAX_ITERATION_SUMMARIES);
}

export const summaryOf = (summaries: readonly IterationSummary[], n: number): IterationSummary | undefined =>
  summaries.find((s) => s.number === n);
