/**
 * The contract of the Kubernetes adapter: the only code that talks to the API server
 * implements `KubeClient`; everything else (informers, controllers, tests of controllers)
 * depends on this interface only. Every failure is a `KubeApiError` (see errors.ts).
 */
import type { V1ObjectMeta } from "@kubernetes/client-node";

/** A REST resource: enough to build its URLs. */
export interface Resource {
  readonly group: string; // "" for the core group
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: V1ObjectMeta;
  [field: string]: unknown;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
}

export interface ListResult<T extends KubeObject> {
  readonly items: T[];
  readonly resourceVersion: string;
  readonly continue?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Start after this resourceVersion (from a list or the last event seen). */
  readonly resourceVersion: string;
  readonly allowWatchBookmarks?: boolean;
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
}

export interface ApplyOptions {
  /** One field manager per controller, e.g. "aegis-agent-controller". */
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export type JsonPatchOp =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string };

export interface KubeClient {
  get<T extends KubeObject>(res: Resource, namespace: string | undefined, name: string): Promise<T>;
  list<T extends KubeObject>(res: Resource, options?: ListOptions): Promise<ListResult<T>>;
  /**
   * Streams events until the server ends the watch (resolves) or it fails (rejects with a
   * KubeApiError; reason "Gone" when the resourceVersion is too old, also when the server
   * reports 410 as an ERROR event inside the stream).
   */
  watch<T extends KubeObject>(res: Resource, options: WatchOptions, onEvent: (type: WatchEventType, obj: T) => void): Promise<void>;
  create<T extends KubeObject>(res: Resource, obj: T, options?: { fieldManager?: string; dryRun?: boolean }): Promise<T>;
  /** PUT of the whole object; metadata.resourceVersion makes it conditional (Conflict when stale). */
  update<T extends KubeObject>(res: Resource, obj: T, options?: { fieldManager?: string }): Promise<T>;
  /** Deletes; NotFound is not an error. */
  delete(res: Resource, namespace: string | undefined, name: string, options?: { propagationPolicy?: "Foreground" | "Background" | "Orphan"; uid?: string }): Promise<void>;
  /** Server-side apply of `obj` (apiVersion, kind, metadata.name/namespace and the owned fields). */
  apply<T extends KubeObject>(res: Resource, obj: T, options: ApplyOptions): Promise<T>;
  /** Server-side apply on the status subresource: send only name, namespace and the owned status fields. */
  applyStatus<T extends KubeObject>(res: Resource, obj: T, options: ApplyOptions): Promise<T>;
  /** JSON patch (RFC 6902), e.g. for finalizers with a `test` precondition. */
  /** `fieldManager` names the writer in managedFields (else the User-Agent's first word: "aegis-operator"). */
  jsonPatch<T extends KubeObject>(res: Resource, namespace: string | undefined, name: string, ops: JsonPatchOp[], options?: { fieldManager?: string }): Promise<T>;
}
