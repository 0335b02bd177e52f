import { describe, expect, it } from "vitest";
import { FakeClock } from "./fake-clock.ts";
import { ExponentialBackoff, MaxOfRateLimiter, TokenBucket, defaultRateLimiter } from "./rate-limiter.ts";

describe("ExponentialBackoff", () => {
  it("doubles per failure from the base and stops at the cap", () => {
    const backoff = new ExponentialBackoff({ baseMs: 5, maxMs: 1_000_000 });
    const delays = Array.from({ length: 20 }, () => backoff.when("a"));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
    expect(backoff.retries("a")).toBe(20);
  });

  it("keeps keys apart and starts over after forget", () => {
    const backoff = new ExponentialBackoff({ baseMs: 1, maxMs: 100 });
    backoff.when("a");
    backoff.when("a");
    expect(backoff.when("b")).toBe(1);
    backoff.forget("a");
    expect(backoff.retries("a")).toBe(0);
    expect(backoff.when("a")).toBe(1);
  });

  it("never overflows past the cap", () => {
    const backoff = new ExponentialBackoff({ baseMs: 5, maxMs: 1000 });
    for (let i = 0; i < 2000; i++) backoff.when("a");
    expect(backoff.when("a")).toBe(1000);
  });
});

describe("TokenBucket", () => {
  it("lets a burst through at once, then spaces tries at 1/qps", () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(clock, { qps: 10, burst: 3 });
    expect([bucket.when("a"), bucket.when("b"), bucket.when("c")]).toEqual([0, 0, 0]);
    expect(bucket.when("d")).toBeCloseTo(100);
    expect(bucket.when("e")).toBeCloseTo(200);
  });

  it("refills with time, up to the burst", () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(clock, { qps: 10, burst: 2 });
    bucket.when("a");
    bucket.when("a");
    clock.advance(100);
    expect(bucket.when("a")).toBe(0);
    clock.advance(60_000);
    expect([bucket.when("a"), bucket.when("a")]).toEqual([0, 0]);
    expect(bucket.when("a")).toBeCloseTo(100);
  });
});

describe("defaultRateLimiter", () => {
  it("takes the larger of the per-key backoff and the overall bucket", () => {
    const clock = new FakeClock();
    const limiter = defaultRateLimiter(clock, { backoff: { baseMs: 5, maxMs: 1000 }, bucket: { qps: 1, burst: 2 } });
    expect(limiter.when("a")).toBe(5); // backoff wins while the bucket has tokens
    expect(limiter.when("a")).toBe(10);
    expect(limiter.when("b")).toBeCloseTo(1000); // bucket empty: 1 s for the next token
    expect(limiter.retries("a")).toBe(2);
    limiter.forget("a");
    expect(limiter.retries("a")).toBe(0);
  });

  it("is zero with no limiters", () => {
    expect(new MaxOfRateLimiter().when("a")).toBe(0);
  });
});
