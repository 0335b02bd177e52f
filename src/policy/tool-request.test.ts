import { describe, expect, it } from "vitest";
import { pathEntities, parseImage, toolGroup } from "./entities.ts";
import { domainOf, normalisePath, toolCallRequest } from "./tool-request.ts";

describe("normalisePath", () => {
  it.each([
    ["src/a.py", "/workspace/src/a.py"],
    ["./a/./b/../c", "/workspace/a/c"],
    ["/workspace/../etc/passwd", "/etc/passwd"],
    ["../../../etc", "/etc"],
    ["/workspace//x/", "/workspace/x"],
    ["/etc/passwd", "/etc/passwd"],
    ["", undefined],
    ["a\0b", undefined],
  ])("%j → %j", (input, expected) => {
    expect(normalisePath(input)).toBe(expected);
  });
});

describe("toolCallRequest", () => {
  const base = { namespace: "ns", execution: "e", agent: "a", iteration: 2 };

  it("puts the normalised path, command, args and domain in the context", () => {
    const r = toolCallRequest({ ...base, tool: "cmd.run", arguments: { command: "git", args: ["log"], cwd: "sub/.." } });
    expect(r.ok && r.request.context).toMatchObject({
      tool: "cmd.run", iteration: 2, path: "/workspace", command: { __entity: { type: "Command", id: "git" } }, args: ["log"],
    });
    const f = toolCallRequest({ ...base, tool: "web.fetch", arguments: { url: "https://Files.PythonHosted.org/x" } });
    expect(f.ok && f.request.context).toMatchObject({ domain: "files.pythonhosted.org" });
  });

  it.each([
    ["a NUL byte in the path", "fs.read", { path: "a\0" }],
    ["a non-string path", "fs.read", { path: 3 }],
    ["an empty command", "cmd.run", { command: "" }],
    ["args that are not strings", "cmd.run", { command: "ls", args: [1] }],
    ["a URL that is not http", "web.fetch", { url: "file:///etc/passwd" }],
  ])("refuses %s before Cedar", (_why, tool, args) => {
    expect(toolCallRequest({ ...base, tool, arguments: args }).ok).toBe(false);
  });

  it("keeps domainOf to http(s) hosts", () => {
    expect(domainOf("http://localhost:8080/a")).toBe("localhost");
    expect(domainOf("not a url")).toBeUndefined();
  });
});

describe("entities", () => {
  it.each([
    ["fs.read", "fs.*"], ["fs.*", undefined], ["mcp:github.create_issue", "mcp:github"], ["mcp:github", undefined], ["cmd", undefined],
  ])("tool %s is in %s", (name, group) => {
    expect(toolGroup(name)).toBe(group);
  });

  it.each([
    ["python:3.12", { registry: "docker.io", repository: "python", tag: "3.12", digest: "" }],
    ["ghcr.io/acme/agent:1@sha256:ab", { registry: "ghcr.io", repository: "acme/agent", tag: "1", digest: "sha256:ab" }],
    ["localhost:5000/x", { registry: "localhost:5000", repository: "x", tag: "" }],
  ])("image %s", (ref, parts) => {
    expect(parseImage(ref)).toMatchObject(parts);
  });

  it("puts a path or glob in all its ancestor directories", () => {
    const [own] = pathEntities("/workspace/src/**");
    expect(own!.parents.map((p) => ("id" in p ? p.id : ""))).toEqual(["/workspace/src", "/workspace", "/"]);
    expect(pathEntities("/workspace")[0]!.parents).toEqual([{ type: "Path", id: "/" }]);
  });
});
