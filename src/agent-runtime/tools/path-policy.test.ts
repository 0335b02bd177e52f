import fc from "fast-check";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isUnder, resolveLexical } from "./path-policy.ts";

const root = "/srv/ws";
const aliases = ["/workspace"];

describe("resolveLexical", () => {
  it.each([
    ["a.txt", "a.txt"],
    ["./a/b", "a/b"],
    ["a/../b", "b"],
    [".", ""],
    ["/workspace", ""],
    ["/workspace/x/y", "x/y"],
    ["/srv/ws/x", "x"],
    ["%2e%2e/%2e%2e/etc", "%2e%2e/%2e%2e/etc"],
    ["..foo", "..foo"],
    ["a/..b", "a/..b"],
  ])("%j → %j", (input, relative) => {
    expect(resolveLexical(root, aliases, input)).toEqual({ absolute: path.join(root, relative), relative });
  });

  it.each([
    ["..", "PathOutsideWorkspace"],
    ["../x", "PathOutsideWorkspace"],
    ["a/../../x", "PathOutsideWorkspace"],
    ["/etc/passwd", "PathOutsideWorkspace"],
    ["/srv/wsx", "PathOutsideWorkspace"],
    ["/workspace/../etc", "PathOutsideWorkspace"],
    ["/workspacex", "PathOutsideWorkspace"],
    ["a\0b", "InvalidPath"],
    ["", "InvalidPath"],
  ])("%j is refused with %s", (input, code) => {
    expect(resolveLexical(root, aliases, input)).toMatchObject({ ok: false, error: { code } });
  });

  it("prefers the most specific name when the root lies under the mount path", () => {
    expect(resolveLexical("/workspace/ws", ["/workspace"], "/workspace/ws/x")).toEqual({ absolute: "/workspace/ws/x", relative: "x" });
    expect(resolveLexical("/workspace/ws", ["/workspace"], "/workspace/y")).toEqual({ absolute: "/workspace/ws/y", relative: "y" });
  });

  it("never resolves outside the root, whatever the string", () => {
    const segment = fc.oneof(fc.constantFrom("..", ".", "", "/", "workspace", "srv", "ws", "a"), fc.string());
    const input = fc.array(segment, { maxLength: 8 }).map((parts) => parts.join("/"));
    fc.assert(fc.property(fc.oneof(input, fc.string()), (s) => {
      const r = resolveLexical(root, aliases, s);
      if ("ok" in r) return;
      expect(isUnder(root, r.absolute)).toBe(true);
    }), { numRuns: 2000 });
  });
});
