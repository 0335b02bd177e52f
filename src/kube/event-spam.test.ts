import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventSpamFilter, withSuppressedCount } from "./event-spam.ts";

const options = { burst: 3, refillMs: 1000, maxKeys: 10 };

describe("EventSpamFilter", () => {
  it("records a burst, then drops, then records one per refill with the dropped count", () => {
    const filter = new EventSpamFilter(options);
    const at = (t: number) => filter.decide("exec-1|Warning|ToolPolicyViolation", t);
    expect([at(0), at(1), at(2)]).toEqual([{ record: true, suppressed: 0 }, { record: true, suppressed: 0 }, { record: true, suppressed: 0 }]);
    expect(at(3)).toEqual({ record: false });
    expect(at(500)).toEqual({ record: false });
    expect(at(1000)).toEqual({ record: true, suppressed: 2 });
    expect(at(1001)).toEqual({ record: false });
  });

  it("keeps keys apart: one object's spam does not silence another", () => {
    const filter = new EventSpamFilter(options);
    for (let i = 0; i < 10; i++) filter.decide("a", 0);
    expect(filter.decide("b", 0)).toEqual({ record: true, suppressed: 0 });
  });

  it("refills to the burst after a quiet period, not beyond", () => {
    const filter = new EventSpamFilter(options);
    for (let i = 0; i < 3; i++) filter.decide("a", 0);
    const after = [0, 1, 2, 3].map(() => filter.decide("a", 60_000).record);
    expect(after).toEqual([true, true, true, false]);
  });

  it("forgets the least recently seen key beyond maxKeys", () => {
    const filter = new EventSpamFilter({ ...options, maxKeys: 2 });
    for (let i = 0; i < 5; i++) filter.decide("old", 0);
    filter.decide("b", 0);
    filter.decide("c", 0);
    expect(filter.size).toBe(2);
    // "old" was forgotten: it starts with a full bucket again.
    expect(filter.decide("old", 1)).toEqual({ record: true, suppressed: 0 });
  });

  it("never records more than the burst plus one per elapsed refill, and counts every drop", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
      const filter = new EventSpamFilter(options);
      let t = 0;
      let recorded = 0;
      let dropped = 0;
      let reported = 0;
      for (const gap of gaps) {
        t += gap;
        const d = filter.decide("k", t);
        if (d.record) {
          recorded += 1;
          reported += d.suppressed;
        } else dropped += 1;
      }
      expect(recorded).toBeLessThanOrEqual(options.burst + Math.floor(t / options.refillMs));
      // Every drop is reported on a later recorded event, or still pending.
      expect(reported).toBeLessThanOrEqual(dropped);
      expect(recorded + dropped).toBe(gaps.length);
    }));
  });
});

describe("withSuppressedCount", () => {
  it("says how many similar events were not recorded", () => {
    expect(withSuppressedCount("denied", 0)).toBe("denied");
    expect(withSuppressedCount("denied", 1)).toBe("denied (1 similar event not recorded)");
    expect(withSuppressedCount("denied", 7)).toBe("denied (7 similar events not recorded)");
  });
});
