import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "./fake-clock.ts";
import { ExponentialBackoff } from "./rate-limiter.ts";
import { WorkQueue } from "./workqueue.ts";

/** Lets resolved `get` promises deliver their keys. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function queue(clock = new FakeClock()): { q: WorkQueue; clock: FakeClock } {
  return { q: new WorkQueue({ clock, rateLimiter: new ExponentialBackoff({ baseMs: 10, maxMs: 80 }) }), clock };
}

describe("WorkQueue", () => {
  it("de-duplicates a key that is already waiting", async () => {
    const { q } = queue();
    q.add("a");
    q.add("a");
    q.add("b");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("holds back a key added while it is processing until done", async () => {
    const { q } = queue();
    q.add("a");
    expect(await q.get()).toBe("a");
    q.add("a");
    expect(q.len()).toBe(0);
    q.done("a");
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("a");
  });

  it("wakes a waiting getter on add", async () => {
    const { q } = queue();
    const got = q.get();
    q.add("x");
    expect(await got).toBe("x");
  });

  it("adds after a delay, keeping the earliest of two delays", async () => {
    const { q, clock } = queue();
    q.addAfter("a", 100);
    q.addAfter("a", 50);
    q.addAfter("a", 200);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(1000);
    expect(q.len()).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it("backs off exponentially on rate-limited adds until forget", async () => {
    const { q, clock } = queue();
    const readyAfter = async (): Promise<number> => {
      q.addRateLimited("a");
      let waited = 0;
      while (q.len() === 0 && waited < 1000) {
        clock.advance(1);
        waited++;
      }
      q.done((await q.get())!);
      return waited;
    };
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) delays.push(await readyAfter());
    expect(delays).toEqual([10, 20, 40, 80, 80]);
    expect(q.retries("a")).toBe(5);
    q.forget("a");
    expect(q.retries("a")).toBe(0);
  });

  it("drains on shutdown: in-flight keys finish, waiting and new keys are not handed out", async () => {
    const { q, clock } = queue();
    q.add("a");
    q.add("b");
    q.addAfter("c", 10);
    expect(await q.get()).toBe("a");
    const idle = q.get(); // none of these are handed out after shutdown
    let drained = false;
    const shutdown = q.shutdown().then(() => (drained = true));
    q.add("d");
    clock.advance(100);
    expect(await idle).toBe("b"); // was already waiting for a key before shutdown
    await flush();
    expect(drained).toBe(false);
    expect(await q.get()).toBeUndefined();
    q.done("a");
    await flush();
    expect(drained).toBe(false); // "b" still in flight
    q.done("b");
    await shutdown;
    expect(drained).toBe(true);
    expect(q.len()).toBe(0);
  });

  it("resolves shutdown at once when nothing is in flight", async () => {
    const { q } = queue();
    q.add("a");
    await q.shutdown();
    expect(await q.get()).toBeUndefined();
  });
});

type Step =
  | { op: "add"; key: string }
  | { op: "addAfter"; key: string; ms: number }
  | { op: "get" }
  | { op: "done"; pick: number }
  | { op: "tick"; ms: number };

const keyArb = fc.constantFrom("a", "b", "c", "d", "e");
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("add" as const), key: keyArb }),
  fc.record({ op: fc.constant("addAfter" as const), key: keyArb, ms: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ op: fc.constant("get" as const) }),
  fc.record({ op: fc.constant("done" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 30 }) }),
);

describe("WorkQueue properties", () => {
  it("never hands out a key in flight, and processes each key once per burst of adds", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 80 }), async (steps) => {
        const clock = new FakeClock();
        const q = new WorkQueue({ clock });
        const inFlight: string[] = [];
        // Model: a key is "pending" from an add until it is handed out; each false→true flip is a burst.
        const pending = new Set<string>();
        const bursts = new Map<string, number>();
        const handedOut = new Map<string, number>();
        const onAdd = (key: string): void => {
          if (!pending.has(key)) bursts.set(key, (bursts.get(key) ?? 0) + 1);
          pending.add(key);
        };
        const getOne = (): void => {
          void q.get().then((key) => {
            if (key === undefined) return;
            expect(inFlight).not.toContain(key);
            expect(pending.has(key)).toBe(true);
            pending.delete(key);
            inFlight.push(key);
            handedOut.set(key, (handedOut.get(key) ?? 0) + 1);
          });
        };
        // Delayed adds land in the model when their timer fires.
        const timers = new Map<string, number>();
        for (const step of steps) {
          switch (step.op) {
            case "add":
              onAdd(step.key);
              q.add(step.key);
              break;
            case "addAfter": {
              const at = clock.now() + step.ms;
              if (step.ms <= 0) {
                onAdd(step.key);
              } else if ((timers.get(step.key) ?? Infinity) > at) {
                timers.set(step.key, at);
              }
              q.addAfter(step.key, step.ms);
              break;
            }
            case "get":
              getOne();
              break;
            case "done":
              if (inFlight.length > 0) q.done(inFlight.splice(step.pick % inFlight.length, 1)[0]!);
              break;
            case "tick":
              for (const [key, at] of [...timers].sort((x, y) => x[1] - y[1])) {
                if (at <= clock.now() + step.ms) {
                  timers.delete(key);
                  onAdd(key);
                }
              }
              clock.advance(step.ms);
              break;
          }
          await flush();
        }
        // Drain: fire the delayed adds, then work until nothing is left.
        for (const [key] of timers) onAdd(key);
        clock.advance(1000);
        await flush();
        while (inFlight.length > 0 || q.len() > 0) {
          while (inFlight.length > 0) q.done(inFlight.shift()!);
          getOne();
          await flush();
        }
        expect(pending.size).toBe(0);
        expect(Object.fromEntries(handedOut)).toEqual(Object.fromEntries(bursts));
      }),
      { numRuns: 300 },
    );
  });

  it("hands out distinct keys in the order they were first added", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 40 }), async (keys) => {
        const q = new WorkQueue({ clock: new FakeClock() });
        for (const key of keys) q.add(key);
        const out: string[] = [];
        while (q.len() > 0) out.push((await q.get())!);
        expect(out).toEqual([...new Set(keys)]);
      }),
    );
  });
});
