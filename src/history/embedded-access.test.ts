import { describe, expect, it } from "vitest";
import { firstUntraversable } from "./embedded-access.ts";

const pg = { uid: 101, gid: 104 };
const folder = (path: string, mode: number, uid = 0, gid = 0) => ({ path, mode, uid, gid });

describe("firstUntraversable", () => {
  it.each([
    { reason: "all world-traversable", folders: [folder("/", 0o755), folder("/tmp", 0o1777)], want: null },
    { reason: "a root-only folder blocks", folders: [folder("/", 0o755), folder("/tmp/h", 0o700), folder("/tmp/h/pg", 0o700, 101, 104)], want: "/tmp/h" },
    { reason: "the owner bit counts for the owner", folders: [folder("/", 0o755), folder("/tmp/h/pg", 0o700, 101, 104)], want: null },
    { reason: "the group bit counts for the group", folders: [folder("/srv", 0o750, 0, 104), folder("/srv/x", 0o701, 0, 104)], want: "/srv/x" },
  ])("$reason", ({ folders, want }) => {
    expect(firstUntraversable(folders, pg)).toBe(want);
  });
});
