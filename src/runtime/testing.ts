/**
 * Test doubles of the runtime's ports for unit tests of pure loop logic: an in-memory informer
 * whose events the test emits, and an event recorder that remembers what it was asked to record.
 * (Anything that needs the API server is an integration test against the real one.)
 */
import type { KubeObject, Resource } from "../kube/types.ts";
import type { EventRecorder, Informer, InformerEvent } from "./types.ts";

export class MemoryInformer<T extends KubeObject = KubeObject> implements Informer<T> {
  readonly resource: Resource;
  readonly #objects = new Map<string, T>();
  #handlers: ((event: InformerEvent<T>) => void)[] = [];

  constructor(resource: Resource) {
    this.resource = resource;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  hasSynced(): boolean {
    return true;
  }

  get(key: string): T | undefined {
    return this.#objects.get(key);
  }

  list(namespace?: string): T[] {
    return [...this.#objects.values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  addIndex(): void {}

  byIndex(): T[] {
    return [];
  }

  subscribe(handler: (event: InformerEvent<T>) => void): () => void {
    this.#handlers.push(handler);
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /** Stores (or deletes) the object and tells the subscribers. */
  emit(event: InformerEvent<T>): void {
    const { namespace, name } = event.object.metadata;
    const key = namespace ? `${namespace}/${name}` : `${name}`;
    if (event.type === "DELETED") this.#objects.delete(key);
    else this.#objects.set(key, event.object);
    for (const handler of this.#handlers) handler(event);
  }
}

export interface RecordedEvent {
  readonly kind: string;
  readonly name: string | undefined;
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

export class MemoryEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  record(regarding: KubeObject & { apiVersion: string; kind: string }, type: "Normal" | "Warning", reason: string, message: string): Promise<void> {
    this.events.push({ kind: regarding.kind, name: regarding.metadata.name, type, reason, message });
    return Promise.resolve();
  }
}
