// `kubectl aegis logs [-f] <execution>`: the execution's transcript (model turns, tool calls with
// their decisions, validation results, phase events), read from the gateway's
// GET /v1/executions/{namespace}/{name}/transcript as Server-Sent Events. With -f the gateway
// pushes rows as they are written and ends the stream when the execution ends; without, it sends
// what history holds and ends. The gateway checks the kubeconfig user's bearer token (it must be
// allowed to `get` the Execution).
import { KubeConfig } from "@kubernetes/client-node";
import { createSseParser, type SseEvent } from "../model-server/sse.ts";
import { CliError, parseFlags, type Io } from "./common.ts";
import { oneLine } from "./format.ts";

export const LOGS_USAGE = "usage: kubectl aegis logs [-f] <execution> [-n namespace] [--gateway URL] [--token TOKEN]";

/** The operator's default gateway address on the local node (--gateway-addr :8082). */
export const DEFAULT_GATEWAY = "http://127.0.0.1:8082";

const LINE_MAX = 200;

type Row = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
const score = (v: unknown): string => (typeof v === "number" ? v.toFixed(2) : "-");

/** What an assistant/user/system message says: its text, and the tools an assistant asked for. */
function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  const m = (content ?? {}) as { content?: unknown; tool_calls?: { function?: { name?: string } }[] };
  const body = Array.isArray(m.content)
    ? m.content.map((part) => text((part as { text?: unknown }).text ?? part)).join(" ")
    : text(m.content);
  const calls = (m.tool_calls ?? []).map((c) => c.function?.name ?? "?");
  return [body, calls.length > 0 ? `→ calls ${calls.join(", ")}` : ""].filter((s) => s !== "").join(" ");
}

/** One transcript entry (an SSE event of the gateway's stream) as a line, or undefined when it prints nothing. */
export function formatTranscriptEntry(kind: string, row: Row): string | undefined {
  const at = `[iteration ${text(row["iteration"])}]`;
  if (kind === "turn") {
    // Tool results are printed from the tool calls; the system prompt is long and the same each time.
    if (row["role"] === "tool" || row["role"] === "system") return undefined;
    return `${at} ${text(row["role"])}: ${oneLine(messageText(row["content"]), LINE_MAX)}`;
  }
  if (kind === "tool") {
    const policy = typeof row["policyRevision"] === "string" ? ` (policy ${row["policyRevision"].slice(0, 12)})` : "";
    const error = text(row["error"]);
    const outcome = row["decision"] === "deny"
      ? `: ${oneLine(error, LINE_MAX)}`
      : error !== "" ? ` failed: ${oneLine(error, LINE_MAX)}` : ` ok${typeof row["durationMs"] === "number" ? ` ${row["durationMs"]}ms` : ""}`;
    return `${at} tool ${text(row["toolName"])} ${text(row["decision"])}${policy}${outcome}`;
  }
  if (kind !== "event") return undefined;
  const p = (row["payload"] ?? {}) as Row;
  switch (row["type"]) {
    case "IterationStarted": return `${at} started${typeof p["pod"] === "string" ? ` (pod ${p["pod"]})` : ""}`;
    case "IterationOutput": return `${at} output${typeof p["exitCode"] === "number" ? ` (exit ${p["exitCode"]})` : ""}: ${oneLine(text(p["output"]), LINE_MAX)}`;
    case "IterationValidated": {
      const feedback = text(p["feedback"]);
      return `${at} validated: ${p["passed"] === true ? "passed" : "failed"} score ${score(p["score"])} confidence ${score(p["confidence"])}${feedback === "" ? "" : ` — ${oneLine(feedback, LINE_MAX)}`}`;
    }
    case "ExecutionFinished": return `execution finished: ${text(p["phase"])}${text(p["reason"]) === "" ? "" : ` (${text(p["reason"])})`} score ${score(p["score"])}`;
    default: return `${at} ${text(row["type"])}${p && Object.keys(p).length > 0 ? ` ${oneLine(JSON.stringify(p), LINE_MAX)}` : ""}`;
  }
}

/** The kubeconfig user's bearer token (a token, a token file, an exec plugin), or undefined for client certificates. */
async function kubeconfigToken(): Promise<string | undefined> {
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch {
    return undefined;
  }
  const options: { headers?: Record<string, unknown> } = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (e) {
    throw new CliError(`cannot get the kubeconfig user's credentials: ${(e as Error).message}`);
  }
  const auth = options.headers?.["Authorization"] ?? options.headers?.["authorization"];
  return typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
}

function contextNamespace(): string | undefined {
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
    return kc.getContextObject(kc.getCurrentContext())?.namespace;
  } catch {
    return undefined;
  }
}

export async function logsMain(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, { follow: { type: "boolean", short: "f" }, gateway: { type: "string" }, token: { type: "string" } }, 1);
  if (values.help) {
    io.out(LOGS_USAGE);
    return 0;
  }
  const name = positionals[0] ?? "";
  const namespace = values.namespace ?? contextNamespace() ?? "default";
  const gateway = (values.gateway ?? io.env.AEGIS_GATEWAY_URL ?? DEFAULT_GATEWAY).replace(/\/+$/, "");
  const token = values.token ?? io.env.AEGIS_TOKEN ?? await kubeconfigToken();
  if (token === undefined) {
    throw new CliError("the kubeconfig user has no bearer token (client certificates cannot be passed on to the gateway): use --token or AEGIS_TOKEN");
  }
  const url = `${gateway}/v1/executions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/transcript${values.follow === true ? "?follow=true" : ""}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
  } catch (e) {
    throw new CliError(`cannot reach the gateway at ${gateway} (set --gateway or AEGIS_GATEWAY_URL): ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
  }
  if (!res.ok) {
    const body = await res.text();
    let message = body;
    try {
      message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
    } catch { /* not JSON: as is */ }
    if (res.status === 403) throw new CliError(`forbidden: ${message}`);
    if (res.status === 401) throw new CliError(`not authorized by the gateway: ${message}`);
    throw new CliError(message === "" ? `the gateway answered ${res.status}` : message);
  }
  const parser = createSseParser();
  let ended = false;
  const print = (events: SseEvent[]): void => {
    for (const e of events) {
      if (e.event === "end") ended = true;
      else {
        const line = formatTranscriptEntry(e.event ?? "", JSON.parse(e.data) as Row);
        if (line !== undefined) io.out(line);
      }
    }
  };
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body ?? []) print(parser.push(decoder.decode(chunk as Uint8Array, { stream: true })));
  } catch (e) {
    throw new CliError(`the gateway's stream broke: ${(e as Error).message}`);
  }
  print(parser.end());
  if (!ended) throw new CliError("the gateway's stream ended before the transcript did");
  return 0;
}
