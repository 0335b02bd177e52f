// The inner loop of an iteration: model turn → tool calls (asked, run, reported — or run by the
// gateway and answered with the decision, for MCP tools) → results → …
// until the model stops, the round limit, or the signal (timeout, SIGTERM). It never throws: every
// ending is a LoopOutcome. Decisions on the model's answers are the pure helpers in tool-calls.ts
// and chat-wire.ts; this file does the I/O in order.
import type { Logger } from "pino";
import { parseCompletion, type ChatMessage, type ChatTool } from "./chat-wire.ts";
import type { GatewayClient } from "./gateway-client.ts";
import type { IterationInfo } from "./iteration.ts";
import { buildInitialMessages, toChatTools } from "./messages.ts";
import type { LoopOutcome } from "./outcome.ts";
import { gatewayResultText, planToolCall, toolError, toolResultText, type PlannedCall } from "./tool-calls.ts";
import { createToolContext, type ToolRegistry } from "./tools/index.ts";

export interface LoopOptions {
  gateway: GatewayClient;
  tools: ToolRegistry;
  /** Directory the builtin tools are confined to. */
  workspace: string;
  maxToolRounds: number;
  /** Aborts everything in flight (the iteration timeout, SIGTERM). */
  signal: AbortSignal;
  log: Logger;
  /** Filled in as soon as GET /v1/iteration answered (main logs from it). */
  onIteration?: (info: IterationInfo) => void;
}

/** Mutable progress, so an aborted loop still reports what it had. */
interface Progress {
  output: string;
  rounds: number;
  seq: number;
}

export async function runAgentLoop(options: LoopOptions): Promise<LoopOutcome> {
  const progress: Progress = { output: "", rounds: 0, seq: 0 };
  const end = (reason: LoopOutcome["reason"], error?: string): LoopOutcome => ({
    reason,
    output: progress.output,
    rounds: progress.rounds,
    toolCalls: progress.seq,
    ...(error === undefined ? {} : { error }),
  });
  try {
    return await converse(options, progress, end);
  } catch (error) {
    // Aborts surface as errors of whatever was in flight; the caller names the reason.
    if (options.signal.aborted) return end("failed", "aborted");
    return end("failed", error instanceof Error ? error.message : String(error));
  }
}

async function converse(options: LoopOptions, progress: Progress, end: (reason: LoopOutcome["reason"], error?: string) => LoopOutcome): Promise<LoopOutcome> {
  const { gateway, signal, log } = options;
  const info = await gateway.iteration(signal);
  options.onIteration?.(info);
  const messages: ChatMessage[] = buildInitialMessages(info);
  const tools: ChatTool[] = toChatTools(info);
  for (;;) {
    const body = await gateway.chat({ model: info.model, messages, ...(tools.length > 0 ? { tools } : {}) }, signal);
    const parsed = parseCompletion(body);
    if (!parsed.ok) return end("failed", parsed.message);
    const { turn } = parsed;
    if (turn.text !== "") progress.output = turn.text;
    if (turn.toolCalls.length === 0) {
      log.info({ finishReason: turn.finishReason, rounds: progress.rounds }, "Model stopped");
      return end("stopped");
    }
    progress.rounds += 1;
    const planned = turn.toolCalls.map((raw, i) => planToolCall(raw, `call_rt_${progress.rounds}_${i}`));
    messages.push({ role: "assistant", content: turn.text === "" ? null : turn.text, tool_calls: planned.map((p) => p.call) });
    for (const call of planned) {
      progress.seq += 1;
      const content = await runToolCall(options, progress.seq, call);
      messages.push({ role: "tool", tool_call_id: call.call.id, content });
    }
    if (progress.rounds >= options.maxToolRounds) {
      log.warn({ rounds: progress.rounds }, "Stopped the loop at the tool round limit");
      return end("maxRounds");
    }
  }
}

/** One tool call: the text the model reads back. Gateway failures propagate (they end the loop). */
async function runToolCall(options: LoopOptions, seq: number, planned: PlannedCall): Promise<string> {
  const { gateway, signal, log } = options;
  const name = planned.call.function.name;
  if (!planned.args.ok) {
    log.info({ seq, tool: name }, "Refused a tool call with invalid arguments");
    return toolError("InvalidArguments", planned.args.message);
  }
  const decision = await gateway.askToolCall({ seq, name, arguments: planned.args.value }, signal);
  if (decision.decision === "deny") {
    log.info({ seq, tool: name, code: decision.code }, "Gateway denied a tool call");
    return toolError(decision.code, `denied: ${decision.message}`);
  }
  if (decision.result !== undefined) {
    // The gateway ran it (an MCP tool) and recorded it: nothing runs here, nothing is reported.
    log.info({ seq, tool: name, ok: decision.result.ok }, "The gateway ran a tool call");
    return gatewayResultText(decision.result);
  }
  const started = Date.now();
  const ctx = createToolContext({ workspaceRoot: options.workspace, signal });
  const result = await options.tools.invoke(name, planned.args.value, ctx);
  const durationMs = Date.now() - started;
  log.info({ seq, tool: name, ok: result.ok, durationMs, ...(result.ok ? {} : { code: result.error.code }) }, "Ran a tool call");
  await gateway.reportToolResult(seq, result.ok ? { ok: true, content: result.content, durationMs } : { ok: false, error: result.error, durationMs }, signal);
  return toolResultText(result);
}
