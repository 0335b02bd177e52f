// One model API request, end to end: parse, pick the turn, answer (JSON or SSE), log.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { sendJson } from "./http-io.ts";
import type { Step } from "./player.ts";
import { buildReply, type Conversation } from "./reply.ts";
import type { LoggedRequest, RequestLog } from "./request-log.ts";
import { redactHeaders } from "./request-log.ts";
import { encodeSse } from "./sse.ts";
import type { WireFormat } from "./wire.ts";

export const CONVERSATION_HEADER = "x-aegis-execution";

export interface ChatDeps {
  next(model: string, conversation: string, lastText: string): Step;
  log: RequestLog;
  /** Aborted when the server stops, so delayed turns end. */
  signal: AbortSignal;
}

/** The conversation a request belongs to: the x-aegis-execution header, else its first user message. */
export function conversationKey(req: IncomingMessage, conversation: Conversation): string {
  const header = req.headers[CONVERSATION_HEADER];
  if (typeof header === "string" && header !== "") return header;
  return `first-user:${createHash("sha256").update(conversation.firstUserText).digest("hex").slice(0, 16)}`;
}

function decode(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `request body is not valid JSON: ${(error as Error).message}` };
  }
}

/** A JSON reply; truncated, it announces the full length, sends half and drops the connection. */
function sendFormatted(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, truncate: boolean): void {
  if (!truncate) return sendJson(res, status, body, headers);
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
}

/** The stream's events; with `chunkDelayMs`, one at a time with that wait between them (the server stopping drops the connection). */
async function sendStream(res: ServerResponse, frames: { event?: string; data: string }[], headers: Record<string, string>, truncate: boolean, chunkDelayMs: number, signal: AbortSignal): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...headers });
  const sent = truncate ? frames.slice(0, Math.ceil(frames.length / 2)) : frames;
  const writes = chunkDelayMs > 0 ? sent.map((f) => encodeSse(f)) : [sent.map(encodeSse).join("")];
  for (const [i, wire] of writes.entries()) {
    if (i > 0) {
      try {
        await sleep(chunkDelayMs, undefined, { signal });
      } catch {
        return void res.destroy();
      }
    }
    if (res.destroyed) return;
    if (i < writes.length - 1) res.write(wire);
    else if (truncate) res.write(wire, () => res.destroy());
    else res.end(wire);
  }
}

export async function handleChat(format: WireFormat, req: IncomingMessage, res: ServerResponse, rawBody: string, deps: ChatDeps): Promise<void> {
  const seq = deps.log.nextSeq();
  const requestId = `req_scripted${String(seq).padStart(6, "0")}`;
  const headers = { [format.requestIdHeader]: requestId };
  const entry: LoggedRequest = {
    seq,
    at: new Date().toISOString(),
    api: format.name,
    path: req.url ?? "",
    headers: redactHeaders(req.headers),
    body: rawBody,
    model: undefined,
    conversation: undefined,
    status: 0,
    outcome: "error",
    turnIndex: undefined,
  };
  const fail = (status: number, message: string, extra: Record<string, string> = {}): void => {
    entry.status = status;
    deps.log.add(entry);
    sendFormatted(res, status, format.error(status, message), { ...headers, ...extra }, false);
  };

  const decoded = decode(rawBody);
  if (!decoded.ok) return fail(400, decoded.error);
  entry.body = decoded.value;
  const parsed = format.parse(decoded.value);
  if (!parsed.ok) return fail(400, `malformed request: ${parsed.error}`);
  const conversation = parsed.conversation;
  const key = conversationKey(req, conversation);
  entry.model = conversation.model;
  entry.conversation = key;

  const step = deps.next(conversation.model, key, conversation.lastText);
  switch (step.kind) {
    case "unknown-model":
      return fail(404, `The model \`${step.model}\` does not exist in the script`);
    case "exhausted":
      return fail(500, `scripted model: the script has no turn left for model "${step.model}" in conversation "${step.conversation}"`);
    case "fault": {
      entry.outcome = "fault";
      entry.turnIndex = step.turnIndex;
      const retry: Record<string, string> = step.fault.retryAfter === undefined ? {} : { "retry-after": String(step.fault.retryAfter) };
      return fail(step.fault.status, step.fault.message ?? `scripted fault: status ${step.fault.status}`, retry);
    }
    case "turn":
      break;
  }
  const { turn, turnIndex } = step;
  if (turn.delayMs !== undefined && turn.delayMs > 0) {
    try {
      await sleep(turn.delayMs, undefined, { signal: deps.signal });
    } catch {
      res.destroy();
      return;
    }
  }
  const reply = buildReply(turn, { conversation, conversationKey: key, turnIndex, idPrefix: format.idPrefix });
  const id = format.responseId(seq);
  entry.status = 200;
  entry.outcome = "turn";
  entry.turnIndex = turnIndex;
  deps.log.add(entry);
  const truncate = turn.truncate === true;
  if (conversation.stream) await sendStream(res, format.frames(reply, id, conversation.model, parsed.includeUsage), headers, truncate, turn.chunkDelayMs ?? 0, deps.signal);
  else sendFormatted(res, 200, format.response(reply, id, conversation.model), headers, truncate);
}
