// The duration and quantity patterns are parsers in disguise: generate valid values and garbage.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DURATION_PATTERN, QUANTITY_PATTERN } from "./common.ts";

const duration = new RegExp(DURATION_PATTERN);
const quantity = new RegExp(QUANTITY_PATTERN);

const unit = fc.constantFrom("ms", "s", "m", "h");
const decimal = fc.tuple(fc.nat(100000), fc.option(fc.nat(999), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? `${i}` : `${i}.${f}`));
const validDuration = fc.array(fc.tuple(decimal, unit).map(([n, u]) => `${n}${u}`), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""));

const suffix = fc.constantFrom("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E");
const validQuantity = fc.tuple(fc.constantFrom("", "+", "-"), decimal, suffix).map(([s, n, u]) => `${s}${n}${u}`);

describe("duration pattern", () => {
  it("accepts Go-style durations", () => {
    fc.assert(fc.property(validDuration, (d) => duration.test(d)));
    for (const d of ["600s", "5m", "1h30m", "1.5h", "250ms"]) expect(duration.test(d)).toBe(true);
  });

  it("rejects bare numbers, unknown units, signs and spaces", () => {
    for (const d of ["", "600", "5 m", "-5m", "5d", "1w", "s", "1.h", "m5"]) expect(duration.test(d)).toBe(false);
    const junk = fc.constantFrom(" ", "d", "w", "-", "x", "/", "µs");
    fc.assert(fc.property(validDuration, junk, fc.nat(), (d, j, at) => {
      const i = at % (d.length + 1);
      return !duration.test(`${d.slice(0, i)}${j}${d.slice(i)}`);
    }));
  });
});

describe("quantity pattern", () => {
  it("accepts Kubernetes quantities", () => {
    fc.assert(fc.property(validQuantity, (q) => quantity.test(q)));
    for (const q of ["512Mi", "1Gi", "500m", "2", "1e3", "0.5", ".5"]) expect(quantity.test(q)).toBe(true);
  });

  it("rejects garbage", () => {
    for (const q of ["", "Gi", "1GB", "1 Gi", "one", "1.2.3", "1mi"]) expect(quantity.test(q)).toBe(false);
    fc.assert(fc.property(validQuantity, fc.constantFrom(" ", "B", "x", "iB", "/", ","), (q, j) => !quantity.test(`${q}${j}`)));
  });
});
