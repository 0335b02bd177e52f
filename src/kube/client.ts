/**
 * `KubeClient` over one KubeConfig: the verbs the operator uses, each one HTTP call through
 * the transport (http.ts), every failure a KubeApiError (as a rejected promise, never a
 * synchronous throw). Nothing else in the code base talks HTTP to the API server.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { isNotFound } from "./errors.ts";
import { createTransport, type Transport } from "./http.ts";
import { queryString, resourcePath } from "./paths.ts";
import { apiVersionOf } from "./resources.ts";
import type { ApplyOptions, JsonPatchOp, KubeClient, KubeObject, ListOptions, ListResult, Resource, WatchEventType, WatchOptions } from "./types.ts";
import { parseWatchLine } from "./watch-events.ts";

const APPLY_PATCH = "application/apply-patch+yaml"; // JSON is YAML: the body is sent as JSON
const JSON_PATCH = "application/json-patch+json";

export interface KubeClientOptions {
  /** Per-request idle timeout (ms); a watch waits its timeoutSeconds plus a margin instead. */
  readonly timeoutMs?: number;
}

interface RawList {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

const applyQuery = (options: ApplyOptions): string =>
  queryString({ fieldManager: options.fieldManager, force: options.force, dryRun: options.dryRun ? "All" : undefined });

/** An object as SSA wants it: managedFields are the server's record, never ours to send. */
function forApply<T extends KubeObject>(res: Resource, obj: T): T {
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(res), kind: obj.kind ?? res.kind, metadata };
}

export function createKubeClient(kc: KubeConfig, options: KubeClientOptions = {}): KubeClient {
  const transport: Transport = createTransport(kc, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  const objectPath = (res: Resource, obj: KubeObject, subresource?: string): string =>
    resourcePath(res, obj.metadata.namespace, obj.metadata.name ?? "", subresource);

  return {
    get: async (res, namespace, name) => transport.json({ method: "GET", path: resourcePath(res, namespace, name) }),

    async list<T extends KubeObject>(res: Resource, opts: ListOptions = {}): Promise<ListResult<T>> {
      const query = queryString({
        labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit,
        continue: opts.continue, resourceVersion: opts.resourceVersion,
      });
      const raw = await transport.json<RawList>({ method: "GET", path: resourcePath(res, opts.namespace) + query });
      // List items come without apiVersion and kind; fill them in so items look like watched objects.
      const items = (raw.items ?? []).map((item) => ({ apiVersion: apiVersionOf(res), kind: res.kind, ...item }) as T);
      const result: { items: T[]; resourceVersion: string; continue?: string } = { items, resourceVersion: raw.metadata?.resourceVersion ?? "" };
      if (raw.metadata?.continue) result.continue = raw.metadata.continue;
      return result;
    },

    async watch<T extends KubeObject>(res: Resource, opts: WatchOptions, onEvent: (type: WatchEventType, obj: T) => void): Promise<void> {
      const query = queryString({
        watch: true, resourceVersion: opts.resourceVersion, allowWatchBookmarks: opts.allowWatchBookmarks ?? true,
        timeoutSeconds: opts.timeoutSeconds, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector,
      });
      // A live watch may be quiet for long: allow the server's own timeout plus a margin.
      const idleTimeoutMs = ((opts.timeoutSeconds ?? 1800) + 30) * 1000;
      await transport.lines(
        { method: "GET", path: resourcePath(res, opts.namespace) + query, idleTimeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
        (line) => {
          const parsed = parseWatchLine(line);
          if (parsed.kind === "error") throw parsed.error;
          if (parsed.kind === "event") onEvent(parsed.type, parsed.object as T);
        },
      );
    },

    create: async (res, obj, opts = {}) =>
      transport.json({
        method: "POST",
        path: resourcePath(res, obj.metadata.namespace) + queryString({ fieldManager: opts.fieldManager, dryRun: opts.dryRun ? "All" : undefined }),
        body: { apiVersion: apiVersionOf(res), kind: res.kind, ...obj },
      }),

    update: async (res, obj, opts = {}) =>
      transport.json({ method: "PUT", path: objectPath(res, obj) + queryString({ fieldManager: opts.fieldManager }), body: obj }),

    async delete(res, namespace, name, opts = {}): Promise<void> {
      const body = {
        apiVersion: "v1", kind: "DeleteOptions",
        ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
        ...(opts.uid ? { preconditions: { uid: opts.uid } } : {}),
      };
      try {
        await transport.json({ method: "DELETE", path: resourcePath(res, namespace, name), body });
      } catch (err) {
        if (!isNotFound(err)) throw err; // already gone is what the caller wanted
      }
    },

    apply: async (res, obj, opts) =>
      transport.json({ method: "PATCH", path: objectPath(res, obj) + applyQuery(opts), body: forApply(res, obj), contentType: APPLY_PATCH }),

    async applyStatus(res, obj, opts) {
      // Only the identity and the status: anything else in the body would be claimed by this field manager.
      const metadata = { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) };
      const body = { apiVersion: obj.apiVersion ?? apiVersionOf(res), kind: obj.kind ?? res.kind, metadata, status: obj.status ?? {} };
      return transport.json({ method: "PATCH", path: objectPath(res, obj, "status") + applyQuery(opts), body, contentType: APPLY_PATCH });
    },

    jsonPatch: async (res, namespace, name, ops: JsonPatchOp[], opts = {}) =>
      transport.json({ method: "PATCH", path: resourcePath(res, namespace, name) + queryString({ fieldManager: opts.fieldManager }), body: ops, contentType: JSON_PATCH }),
  };
}
