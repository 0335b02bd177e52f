import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import { describeError, outputFormat, parseFlags, UsageError } from "./common.ts";
import { parseInput } from "./run.ts";

describe("parseFlags", () => {
  it("parses -n, -o and the command's own flags", () => {
    const { values, positionals } = parseFlags(["coder", "-n", "team", "--watch", "-o", "json"], { watch: { type: "boolean" } }, 1);
    expect(positionals).toEqual(["coder"]);
    expect(values).toMatchObject({ namespace: "team", watch: true, output: "json" });
  });

  it("turns unknown flags, missing values and wrong arity into UsageErrors", () => {
    expect(() => parseFlags(["x", "--bogus"], {}, 1)).toThrow(UsageError);
    expect(() => parseFlags(["x", "-n"], {}, 1)).toThrow(UsageError);
    expect(() => parseFlags([], {}, 1)).toThrow("missing argument");
    expect(() => parseFlags(["x", "y"], {}, 1)).toThrow("unexpected argument y");
    expect(parseFlags(["--help"], {}, 1).values.help).toBe(true);
  });

  it("accepts table, json and yaml output only", () => {
    expect(outputFormat(undefined)).toBe("table");
    expect(outputFormat("yaml")).toBe("yaml");
    expect(() => outputFormat("wide")).toThrow(UsageError);
  });
});

describe("parseInput", () => {
  it("reads inline JSON or @file, and wants an object", () => {
    expect(parseInput(undefined)).toBeUndefined();
    expect(parseInput('{"task":"add"}')).toEqual({ task: "add" });
    expect(parseInput("@in.json", (p) => (p === "in.json" ? '{"a":1}' : ""))).toEqual({ a: 1 });
    expect(() => parseInput("{nope")).toThrow("--input is not JSON");
    expect(() => parseInput("[1]")).toThrow("--input must be a JSON object");
    expect(() => parseInput("@missing", () => { throw new Error("ENOENT"); })).toThrow("--input @missing: ENOENT");
  });
});

describe("describeError", () => {
  it("names what was not found and where", () => {
    expect(describeError(new KubeApiError("NotFound", 404, "gone"), { name: "x", namespace: "y" })).toBe("execution x not found in namespace y");
    expect(describeError(new KubeApiError("Unreachable", 0, "API server unreachable (ECONNREFUSED)"))).toMatch(/^cannot reach the Kubernetes API server/);
    expect(describeError(new Error("boom"))).toBe("boom");
  });
});
