// GET /v1/executions/{namespace}/{name}/transcript[?follow=true]: an execution's transcript as
// Server-Sent Events, read-only, for `kubectl aegis logs` (docs/kubectl-aegis.md). It replays what
// history holds (domain events, model turns, tool calls with their decisions), then, with
// follow=true, pushes rows as they are written and ends after the ExecutionFinished event.
//
// New rows are noticed in process: the operator wraps its history store with a notifier
// (`notifyingStore`) that the gateway and the Execution controller both write through, so a write
// wakes the streams of its execution at once. A slow re-read (every 2 s) covers rows written by
// another operator replica. Caller: the bearer token of a Kubernetes user, who must be allowed to
// `get` the Execution (TokenReview, then SubjectAccessReview).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { HistoryStore, StoredEvent, StoredToolCall, StoredTurn } from "../history/index.ts";
import { EXECUTIONS } from "../kube/resources.ts";
import { isNotFound } from "../kube/errors.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import { encodeSse } from "../model-server/sse.ts";
import { TOKENREVIEWS } from "./seal-kube.ts";

export const TRANSCRIPT_PATH = /^\/v1\/executions\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)\/transcript$/;
export const TRANSCRIPT_ROUTE = "/v1/executions/{namespace}/{name}/transcript";

/** Who may read: 200 allowed, 401 the token is not a valid Kubernetes credential, 403 not allowed to get the Execution. */
export type Authorize = (token: string, namespace: string, name: string) => Promise<200 | 401 | 403>;

/** Wakes the streams of an execution when one of its rows is written. */
export interface HistoryNotifier {
  subscribe(executionUid: string, wake: () => void): () => void;
  notify(executionUid: string): void;
}

export function createHistoryNotifier(): HistoryNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    subscribe(uid, wake) {
      const set = listeners.get(uid) ?? new Set();
      set.add(wake);
      listeners.set(uid, set);
      return () => {
        set.delete(wake);
        if (set.size === 0) listeners.delete(uid);
      };
    },
    notify(uid) {
      for (const wake of listeners.get(uid) ?? []) wake();
    },
  };
}

/** The store, with every write notifying the execution's streams once it is done. */
export function notifyingStore(store: HistoryStore, notifier: HistoryNotifier): HistoryStore {
  const after = <T>(uids: readonly string[], p: Promise<T>): Promise<T> => p.then((v) => {
    for (const uid of new Set(uids)) notifier.notify(uid);
    return v;
  });
  return {
    ...store,
    appendEvent: (e) => after([e.executionUid], store.appendEvent(e)),
    appendTurn: (t) => after([t.executionUid], store.appendTurn(t)),
    appendTurns: (ts) => after(ts.map((t) => t.executionUid), store.appendTurns(ts)),
    recordToolCall: (c) => after([c.executionUid], store.recordToolCall(c)),
  };
}

export const SUBJECTACCESSREVIEWS: Resource = { group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews", kind: "SubjectAccessReview", namespaced: false };

interface UserInfo { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }

/** TokenReview (who is it), then SubjectAccessReview (may they `get` this Execution). */
export function kubeAuthorize(client: KubeClient): Authorize {
  return async (token, namespace, name) => {
    const review = await client.create<KubeObject & { status?: { authenticated?: boolean; user?: UserInfo } }>(TOKENREVIEWS, {
      apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", metadata: {}, spec: { token },
    } as KubeObject);
    const user = review.status?.user;
    if (review.status?.authenticated !== true || user?.username === undefined) return 401;
    const access = await client.create<KubeObject & { status?: { allowed?: boolean } }>(SUBJECTACCESSREVIEWS, {
      apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", metadata: {},
      spec: {
        user: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups ?? [], ...(user.extra ? { extra: user.extra } : {}),
        resourceAttributes: { namespace, verb: "get", group: EXECUTIONS.group, resource: EXECUTIONS.plural, name },
      },
    } as KubeObject);
    return access.status?.allowed === true ? 200 : 403;
  };
}

/** The uid of the Execution `namespace/name`, undefined when there is none. */
export function kubeExecutionUid(client: KubeClient): (namespace: string, name: string) => Promise<string | undefined> {
  return async (namespace, name) => {
    try {
      return (await client.get(EXECUTIONS, namespace, name)).metadata.uid;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

export interface TranscriptOptions {
  readonly authorize: Authorize;
  readonly executionUid: (namespace: string, name: string) => Promise<string | undefined>;
  readonly notifier: HistoryNotifier;
  /** How often a followed stream re-reads history without being woken (rows of other replicas). Default 2 s. */
  readonly rereadMs?: number;
}

/** One SSE event of the stream: `turn`, `tool` or `event`, its data the stored row; `end` last. */
export type TranscriptEntry =
  | { kind: "turn"; key: string; at: number; iteration: number; row: StoredTurn }
  | { kind: "tool"; key: string; at: number; iteration: number; row: StoredToolCall }
  | { kind: "event"; key: string; at: number; iteration: number; row: StoredEvent };

const time = (d: Date | string | null | undefined): number => (d === null || d === undefined ? 0 : new Date(d).getTime());

/** Everything history holds on the execution, iteration by iteration, each in the order it happened. */
async function readAll(history: HistoryStore, uid: string): Promise<{ entries: TranscriptEntry[]; finished: boolean }> {
  const events = await history.eventsOf(uid);
  const iterations = [...new Set(events.map((e) => e.iteration).filter((i) => i > 0))].sort((a, b) => a - b);
  const entries: TranscriptEntry[] = events.map((row) => ({ kind: "event", key: `event/${row.id}`, at: time(row.occurredAt), iteration: row.iteration, row }));
  for (const iteration of iterations) {
    const [turns, calls] = await Promise.all([history.transcriptOf(uid, iteration), history.toolCallsOf(uid, iteration)]);
    for (const row of turns) entries.push({ kind: "turn", key: `turn/${iteration}/${row.seq}`, at: time(row.createdAt), iteration, row });
    for (const row of calls) entries.push({ kind: "tool", key: `tool/${iteration}/${row.seq}`, at: time(row.startedAt), iteration, row });
  }
  // ExecutionFinished last whatever its clock; the rest by iteration, then time.
  const last = (e: TranscriptEntry): number => (e.kind === "event" && e.row.type === "ExecutionFinished" ? 1 : 0);
  entries.sort((a, b) => last(a) - last(b) || a.iteration - b.iteration || a.at - b.at);
  return { entries, finished: events.some((e) => e.type === "ExecutionFinished") };
}

function fail(res: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ error: { message, type: status === 404 ? "not_found" : status === 401 || status === 403 ? "authentication_error" : "invalid_request_error", param: null, code: null } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** Serves one transcript request; never throws (a failure before the first byte is a JSON error, after it the stream ends). */
export async function serveTranscript(o: TranscriptOptions, history: HistoryStore, log: Logger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://gateway");
    const match = TRANSCRIPT_PATH.exec(url.pathname);
    if (!match) return fail(res, 404, `no route ${req.method ?? ""} ${url.pathname}`);
    if (req.method !== "GET") return fail(res, 405, `${TRANSCRIPT_ROUTE} takes GET`);
    const namespace = match[1] ?? "";
    const name = match[3] ?? "";
    const h = req.headers.authorization;
    const token = h?.startsWith("Bearer ") === true ? h.slice(7).trim() : "";
    if (token === "") return fail(res, 401, "a Kubernetes bearer token is required");
    const allowed = await o.authorize(token, namespace, name);
    if (allowed === 401) return fail(res, 401, "the token is not a valid Kubernetes credential");
    if (allowed === 403) return fail(res, 403, `not allowed to get executions ${name} in namespace ${namespace}`);
    const uid = await o.executionUid(namespace, name);
    if (uid === undefined) return fail(res, 404, `execution ${name} not found in namespace ${namespace}`);
    await stream(o, history, uid, url.searchParams.get("follow") === "true", res);
  } catch (error) {
    log.error({ err: error }, "transcript stream failed");
    if (!res.headersSent) fail(res, 500, "internal error");
    else res.end();
  }
}

async function stream(o: TranscriptOptions, history: HistoryStore, uid: string, follow: boolean, res: ServerResponse): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" });
  const sent = new Set<string>();
  let closed = false;
  let wake: () => void = () => undefined;
  let woken: boolean;
  let quietSince = Date.now();
  const unsubscribe = o.notifier.subscribe(uid, () => {
    woken = true;
    wake();
  });
  res.once("close", () => {
    closed = true;
    wake();
  });
  try {
    for (;;) {
      woken = false;
      const { entries, finished } = await readAll(history, uid);
      const fresh = entries.filter((e) => !sent.has(e.key));
      for (const e of fresh) sent.add(e.key);
      if (fresh.length > 0 && !closed) {
        res.write(fresh.map((e) => encodeSse({ event: e.kind, data: JSON.stringify(e.row) })).join(""));
        quietSince = Date.now();
      }
      if (closed) return;
      if (finished || !follow) break;
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, o.rereadMs ?? 2000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => undefined;
        if (closed) return;
        // Writes often come in bursts (a request's turns, then its answer): read once for them.
        if (woken) await new Promise((r) => setTimeout(r, 20));
      }
      // A comment now and then keeps proxies from closing a quiet stream.
      if (!closed && Date.now() - quietSince > 15_000) {
        res.write(": keep-alive\n\n");
        quietSince = Date.now();
      }
    }
    res.end(encodeSse({ event: "end", data: "{}" }));
  } finally {
    unsubscribe();
  }
}
