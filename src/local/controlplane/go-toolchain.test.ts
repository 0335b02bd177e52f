import { describe, expect, it } from "vitest";
import { ControlPlaneError } from "./errors.ts";
import { findGo, isGoRecentEnough, parseGoVersion } from "./go-toolchain.ts";

describe("parseGoVersion", () => {
  it.each([
    ["go version go1.26.8 linux/amd64", { major: 1, minor: 26 }],
    ["go version go1.27rc1 darwin/arm64", { major: 1, minor: 27 }],
    ["go version devel go1.28-abcdef linux/amd64", { major: 1, minor: 28 }],
  ])("reads %s", (output, expected) => {
    expect(parseGoVersion(output)).toEqual(expected);
  });

  it("returns undefined for text that is not a go version", () => {
    expect(parseGoVersion("bash: go: command not found")).toBeUndefined();
  });
});

describe("isGoRecentEnough", () => {
  it.each([
    [{ major: 1, minor: 25 }, false],
    [{ major: 1, minor: 26 }, true],
    [{ major: 2, minor: 0 }, true],
  ])("%j → %s", (version, expected) => {
    expect(isGoRecentEnough(version)).toBe(expected);
  });
});

describe("findGo", () => {
  it("explains that Go is needed when the go command is missing", async () => {
    const error = await findGo({ ...process.env, GO: "/nonexistent/go" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as ControlPlaneError).describe()).toMatch(/Go was not found[\s\S]*hint: .*Go 1\.26 or newer/);
  });
});
