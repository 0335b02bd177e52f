/**
 * Where a controller's time goes: a Proxy that times every async method call of an object
 * (the Kubernetes client, the history port), keyed by method and, for the client, resource.
 */

export function timed<T extends object>(target: T, prefix: string, times: Map<string, { calls: number; ms: number }>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || prop === "watch") return value;
      return (...args: unknown[]) => {
        const res = (args[0] as { plural?: unknown } | undefined)?.plural;
        const key = `${prefix}.${String(prop)}${typeof res === "string" ? ` ${res}` : ""}`;
        const start = performance.now();
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        if (!(result instanceof Promise)) return result;
        const done = () => {
          const entry = times.get(key) ?? { calls: 0, ms: 0 };
          times.set(key, { calls: entry.calls + 1, ms: entry.ms + performance.now() - start });
        };
        return result.finally(done);
      };
    },
  });
}

/** Lines "<call>: <calls per execution>, <ms each>" for the calls of `after` minus `before`, slowest total first. */
export function timeReport(before: Map<string, { calls: number; ms: number }>, after: Map<string, { calls: number; ms: number }>, executions: number): string[] {
  const rows = [...after].map(([key, a]) => {
    const b = before.get(key) ?? { calls: 0, ms: 0 };
    return { key, calls: a.calls - b.calls, ms: a.ms - b.ms };
  }).filter((r) => r.calls > 0).sort((x, y) => y.ms - x.ms);
  return rows.map((r) => `  ${r.key}: ${(r.calls / executions).toFixed(2)} per execution, ${(r.ms / r.calls).toFixed(1)} ms each`);
}
