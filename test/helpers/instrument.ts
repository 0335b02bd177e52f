/**
 * Instrumentation of real controllers for integration tests: counts reconciles and writes per
 * object key ("namespace/name", or "name"), so a test can prove that an extra reconcile wrote
 * nothing. The controller, its client and its informers stay the real ones.
 */
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import type { ControllerSpec, Request } from "../../src/runtime/types.ts";

export interface Counters {
  readonly reconciles: Map<string, number>;
  /** Reconciles that have returned (or thrown), by key: reconciles - completed are in flight. */
  readonly completed: Map<string, number>;
  /** applyStatus calls, by the object's key. */
  readonly statusWrites: Map<string, number>;
  /** apply calls (e.g. node labels), by the object's key. */
  readonly applies: Map<string, number>;
  /** Errors thrown by reconciles (the loop retries them; tests may assert there are none). */
  readonly errors: unknown[];
}

export const newCounters = (): Counters => ({ reconciles: new Map(), completed: new Map(), statusWrites: new Map(), applies: new Map(), errors: [] });

const keyOf = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);
const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};
export const count = (map: Map<string, number>, key: string): number => map.get(key) ?? 0;

/** Throws unless `key` has no reconcile in flight and at least `minCompleted` have finished. */
export function assertIdle(counters: Counters, key: string, minCompleted = 0): void {
  const started = count(counters.reconciles, key);
  const done = count(counters.completed, key);
  if (started !== done || done < minCompleted) throw new Error(`${key}: ${started - done} reconciles in flight, ${done} completed (want ${minCompleted})`);
}

function countingClient(client: KubeClient, counters: Counters): KubeClient {
  const objectKey = (obj: KubeObject): string => keyOf(obj.metadata.namespace, obj.metadata.name ?? "");
  return {
    ...client,
    applyStatus: (res, obj, options) => {
      bump(counters.statusWrites, objectKey(obj));
      return client.applyStatus(res, obj, options);
    },
    apply: (res, obj, options) => {
      bump(counters.applies, objectKey(obj));
      return client.apply(res, obj, options);
    },
  };
}

/** The same controller, with its reconciles and writes counted in `counters`. */
export function instrument(spec: ControllerSpec, counters: Counters): ControllerSpec {
  return {
    ...spec,
    reconciler: (deps) => {
      const inner = spec.reconciler({
        client: countingClient(deps.client, counters),
        informer: (res) => deps.informer(res),
        log: deps.log,
        events: deps.events,
        fieldManager: deps.fieldManager,
      });
      return {
        async reconcile(request: Request, ctx) {
          bump(counters.reconciles, keyOf(request.namespace, request.name));
          try {
            return await inner.reconcile(request, ctx);
          } catch (err) {
            counters.errors.push(err);
            throw err;
          } finally {
            bump(counters.completed, keyOf(request.namespace, request.name));
          }
        },
      };
    },
  };
}
