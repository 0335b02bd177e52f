/**
 * The contract of the controller runtime (shapes after controller-runtime): a Request names an
 * object, a Reconciler brings the world to the object's spec and reports status, the controller
 * loop decides what happens after (see controller.ts), informers feed the work queue.
 */
import type { Logger } from "pino";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";

/** What to reconcile: only a namespace and a name, never an event. */
export interface Request {
  readonly namespace?: string;
  readonly name: string;
}

/** `requeueAfter` (ms) schedules the next reconcile; nothing means done until something changes. */
export interface Result {
  readonly requeueAfter?: number;
}

export interface ReconcileContext {
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** A unique id of this reconcile, also on every log line. */
  readonly reconcileId: string;
}

export interface Reconciler {
  reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void>;
}

export type InformerEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface InformerEvent<T extends KubeObject> {
  readonly type: InformerEventType;
  readonly object: T;
  /** The cached object before a MODIFIED event. */
  readonly old?: T;
}

/** A list+watch cache of one resource, shared by every controller that reads it. */
export interface Informer<T extends KubeObject> {
  readonly resource: Resource;
  /** Resolves once the first list is in the cache. */
  start(signal: AbortSignal): Promise<void>;
  hasSynced(): boolean;
  /** Key: "namespace/name", or "name" for cluster-scoped objects. */
  get(key: string): T | undefined;
  list(namespace?: string): T[];
  /** Registers an index (before start): e.g. by owner uid, by label value, by a spec reference. */
  addIndex(name: string, indexFn: (obj: T) => string[]): void;
  byIndex(name: string, value: string): T[];
  /** Handlers see every change in order; a relist after a lost watch emits what changed meanwhile. */
  subscribe(handler: (event: InformerEvent<T>) => void): () => void;
}

/** What maps a watched object to the requests it should trigger. */
export type MapFunction<T extends KubeObject = KubeObject> = (obj: T) => Request[];

/** A controller's wiring (the builder of controller-runtime, as data). */
export interface ControllerSpec {
  readonly name: string;
  readonly for: Resource;
  /** Children whose controller ownerReference points at a `for` object enqueue their owner. */
  readonly owns?: readonly Resource[];
  readonly watches?: readonly { readonly resource: Resource; readonly map: MapFunction }[];
  readonly workers?: number;
  /** Built once the manager has its client and informers. */
  readonly reconciler: (deps: ControllerDeps) => Reconciler;
}

export interface ControllerDeps {
  readonly client: KubeClient;
  informer<T extends KubeObject>(res: Resource): Informer<T>;
  readonly log: Logger;
  /** Records events.k8s.io/v1 events for an object (see events.ts). */
  readonly events: EventRecorder;
  /** The controller's field manager for server-side apply. */
  readonly fieldManager: string;
}

export interface EventRecorder {
  /** type Normal|Warning; reason UpperCamelCase (the condition's reason); message for humans. */
  record(regarding: KubeObject & { apiVersion: string; kind: string }, type: "Normal" | "Warning", reason: string, message: string, action?: string): Promise<void>;
}
