import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_TOOLS, builtinToolSpecs, decideToolCall, matchesToolPattern } from "./tools.ts";

describe("tool patterns", () => {
  it.each([
    ["fs.read", "fs.read", true],
    ["fs.read", "fs.*", true],
    ["fs.read", "cmd.*", false],
    ["fsx.read", "fs.*", false],
    ["mcp:github.get_file", "mcp:github", true],
    ["mcp:github.get_file", "mcp:github.get_file", true],
    ["mcp:github.create_pr", "mcp:github.get_file", false],
    ["mcp:githubx.get_file", "mcp:github", false],
    ["cmd.run", "cmd.runner", false],
  ])("%s against %s → %s", (name, pattern, expected) => {
    expect(matchesToolPattern(name, pattern)).toBe(expected);
  });

  it("denies what no pattern allows, naming the field", () => {
    expect(decideToolCall("cmd.run", ["fs.*"])).toEqual({ decision: "deny", code: "ToolNotAllowed", message: expect.stringContaining("spec.tools") });
    expect(decideToolCall("cmd.run", [])).toMatchObject({ decision: "deny" });
    expect(decideToolCall("fs.write", ["fs.*"])).toEqual({ decision: "allow" });
  });

  it("offers only the builtins the patterns allow", () => {
    expect(builtinToolSpecs(["fs.read", "cmd.run"]).map((s) => s.name).sort()).toEqual(["cmd.run", "fs.read"]);
    expect(builtinToolSpecs(["fs.*"]).map((s) => s.name)).not.toContain("cmd.run");
    expect(builtinToolSpecs([])).toEqual([]);
    expect(BUILTIN_TOOLS.has("fs.edit")).toBe(true);
  });

  it("an exact pattern allows only itself (property)", () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/), (a, b) => {
      expect(matchesToolPattern(a, b)).toBe(a === b);
    }));
  });
});
