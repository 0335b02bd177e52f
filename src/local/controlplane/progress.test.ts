import { describe, expect, it } from "vitest";
import { formatProgress } from "./progress.ts";

describe("formatProgress", () => {
  it("shows a bar, the count and the elapsed time", () => {
    expect(formatProgress("building etcd", 50, 100, 125_000)).toBe(
      "building etcd [############------------] 50/100 packages 2m05s",
    );
  });

  it("never overflows the bar when more packages compile than were counted", () => {
    expect(formatProgress("b", 120, 100, 0)).toContain("[########################]");
  });

  it("shows an empty bar while the total is still unknown", () => {
    expect(formatProgress("b", 0, 0, 0)).toContain("[------------------------] 0/0");
  });
});
