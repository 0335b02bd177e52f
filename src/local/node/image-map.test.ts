import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { containerArgv, defaultImageMap, normalizeImage, parseImageMap, resolveImage, type ImageEntry } from "./image-map.ts";

const defaults = defaultImageMap("/opt/node24/bin/node");
const entry = (e: Partial<ImageEntry>): ImageEntry => ({ entrypoint: [], cmd: [], env: {}, path: [], ...e });

describe("normalizeImage", () => {
  it.each([
    ["busybox", "busybox"],
    ["docker.io/library/busybox:1.37", "busybox:1.37"],
    ["library/alpine", "alpine"],
    ["docker.io/acme/tool:1", "acme/tool:1"],
    ["ghcr.io/acme/agent:2@sha256:abc", "ghcr.io/acme/agent:2"],
  ])("given %j, returns %j", (input, expected) => {
    expect(normalizeImage(input)).toBe(expected);
  });
});

describe("resolveImage", () => {
  it("maps common images to host commands", () => {
    expect(resolveImage(defaults, "busybox")?.cmd).toEqual(["sh"]);
    expect(resolveImage(defaults, "docker.io/library/busybox:1.37")?.cmd).toEqual(["sh"]);
    expect(resolveImage(defaults, "alpine:3.22")?.cmd).toEqual(["sh"]);
    expect(resolveImage(defaults, "node:24-slim")?.entrypoint).toEqual(["node"]);
    expect(resolveImage(defaults, "node:24")?.path).toEqual(["/opt/node24/bin"]);
  });

  it("runs the agent runtime for the runtime registry's images", () => {
    const e = resolveImage(defaultImageMap("/opt/node24/bin/node", "/repo/src/agent-runtime/main.ts"), "ghcr.io/aegis-dev/runtime-python:3.12");
    expect([e?.entrypoint, e?.path]).toEqual([["node", "/repo/src/agent-runtime/main.ts"], ["/opt/node24/bin"]]);
  });

  it("has no entry for an unknown image", () => {
    expect(resolveImage(defaults, "ghcr.io/acme/unknown:1")).toBeUndefined();
  });

  it("prefers an exact key, then the most specific glob", () => {
    const map = { "*": entry({ cmd: ["any"] }), "node:*": entry({ cmd: ["node-any"] }), "node:24*": entry({ cmd: ["node-24"] }), "node:24": entry({ cmd: ["exact"] }) };
    expect(resolveImage(map, "node:24")?.cmd).toEqual(["exact"]);
    expect(resolveImage(map, "node:24-slim")?.cmd).toEqual(["node-24"]);
    expect(resolveImage(map, "node:22")?.cmd).toEqual(["node-any"]);
    expect(resolveImage(map, "python")?.cmd).toEqual(["any"]);
  });

  it("treats regex characters in keys literally", () => {
    const map = { "a.b:*": entry({ cmd: ["x"] }) };
    expect(resolveImage(map, "a.b:1")).toBeDefined();
    expect(resolveImage(map, "aXb:1")).toBeUndefined();
  });
});

describe("containerArgv", () => {
  const image = entry({ entrypoint: ["/entry"], cmd: ["default-arg"] });
  it.each([
    [undefined, undefined, ["/entry", "default-arg"], "the image's entrypoint and cmd"],
    [undefined, ["a"], ["/entry", "a"], "args replace cmd"],
    [["run"], undefined, ["run"], "command replaces entrypoint and drops cmd"],
    [["run"], ["a", "b"], ["run", "a", "b"], "command and args"],
    [[], [], ["/entry", "default-arg"], "empty lists count as unset"],
  ])("command %j, args %j → %j (%s)", (command, args, expected, _why) => {
    expect(containerArgv(image, command, args)).toEqual(expected);
  });
});

describe("parseImageMap", () => {
  it("merges the file over the defaults and resolves relative paths", () => {
    const text = "images:\n  ghcr.io/acme/agent:*:\n    entrypoint: [agent]\n    path: [bin]\n    env: { MODE: local }\n";
    const parsed = parseImageMap(text, defaults, "/etc/aegis");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(resolveImage(parsed.map, "ghcr.io/acme/agent:1")).toEqual(entry({ entrypoint: ["agent"], path: ["/etc/aegis/bin"], env: { MODE: "local" } }));
    expect(resolveImage(parsed.map, "busybox")).toBeDefined();
  });

  it("drops the defaults when asked", () => {
    const parsed = parseImageMap("inheritDefaults: false\nimages: { x: { cmd: [y] } }\n", defaults, "/");
    expect(parsed.ok && Object.keys(parsed.map)).toEqual(["x"]);
  });

  it("accepts an empty file", () => {
    expect(parseImageMap("", defaults, "/")).toEqual({ ok: true, map: defaults });
  });

  it.each([
    ["images: [1, 2]", "images"],
    ["images: { x: { cmd: sh } }", "images.x.cmd"],
    ["images: { x: { command: [sh] } }", "command"],
    ["imagez: {}", "imagez"],
    ["images: {", "not valid YAML"],
  ])("rejects %j, naming %j", (text, fragment) => {
    const parsed = parseImageMap(text, defaults, "/");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(fragment);
  });

  it("round-trips any well-formed map", () => {
    const list = fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 });
    const arbEntry = fc.record({ entrypoint: list, cmd: list, env: fc.dictionary(fc.stringMatching(/^[A-Z]{1,5}$/), fc.string({ maxLength: 5 })), path: fc.constant([] as string[]) });
    const key = fc.stringMatching(/^[a-z][a-z0-9./-]{0,10}(:[a-z0-9*]{1,5})?$/).filter((k) => normalizeImage(k) === k);
    fc.assert(
      fc.property(fc.dictionary(key, arbEntry, { maxKeys: 4 }), (images) => {
        const parsed = parseImageMap(stringify({ inheritDefaults: false, images }), {}, "/");
        return parsed.ok && JSON.stringify(parsed.map) === JSON.stringify(images);
      }),
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string(), (text) => typeof parseImageMap(text, defaults, "/").ok === "boolean"));
  });
});
