import { readFileSync } from "node:fs";
import { isAuthorized } from "@cedar-policy/cedar-wasm/nodejs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authorize, type AuthorizationRequest } from "./authorize.ts";
import { agentEntities, agentUid, executionEntities, executionUid, toolEntities, uid } from "./entities.ts";
import { compilePolicies, type CompiledPolicySet, type PolicySource } from "./load.ts";
import { SCHEMA_TEXT } from "./schema.ts";
import { toolCallRequest } from "./tool-request.ts";

function compile(sources: PolicySource[]): CompiledPolicySet {
  const r = compilePolicies(sources);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policySet;
}

const tools = compile([{ name: "tools.cedar", text: readFileSync(new URL("../../examples/policies/tools.cedar", import.meta.url), "utf8") }]);

function call(tool: string, args: Record<string, unknown>): AuthorizationRequest {
  const r = toolCallRequest({ namespace: "team-a", execution: "run-1", agent: "coder", iteration: 1, tool, arguments: args });
  if (!r.ok) throw new Error(r.error);
  return r.request;
}

describe("authorize: tool calls against the example policies", () => {
  it.each([
    ["read inside", "fs.read", { path: "src/a.py" }, "allow"],
    ["edit by absolute path", "fs.edit", { path: "/workspace/a.py", oldText: "a", newText: "b" }, "allow"],
    ["traversal normalised to /etc", "fs.read", { path: "/workspace/../etc/passwd" }, "deny"],
    ["relative traversal", "fs.write", { path: "a/../../../root/.ssh/authorized_keys", content: "" }, "deny"],
    ["absolute outside", "fs.read", { path: "/etc/passwd" }, "deny"],
    ["prefix sibling", "fs.list", { path: "/workspace2" }, "deny"],
    ["delete forbidden", "fs.delete", { path: "tmp" }, "deny"],
    ["allowlisted command", "cmd.run", { command: "python", args: ["main.py"] }, "allow"],
    ["command outside allowlist", "cmd.run", { command: "curl", args: ["https://pypi.org"] }, "deny"],
    ["allowlisted name elsewhere", "cmd.run", { command: "/usr/bin/python" }, "deny"],
    ["cwd outside", "cmd.run", { command: "python", cwd: "../.." }, "deny"],
    ["fetch pypi", "web.fetch", { url: "https://PyPI.org/simple/" }, "allow"],
    ["fetch elsewhere", "web.fetch", { url: "https://pypi.org.evil.com/" }, "deny"],
  ])("%s", (_why, tool, args, expected) => {
    // Validated against the schema (the default) and not: the builders' requests fit it.
    expect(authorize(tools, call(tool, args))).toMatchObject({ decision: expected, errors: [] });
    expect(authorize(tools, call(tool, args), { validate: false }).decision).toBe(expected);
  });

  it("names the deciding policies and the revision", () => {
    expect(authorize(tools, call("fs.read", { path: "a" }))).toEqual({
      decision: "allow", reasons: ["tools.cedar:fs-in-workspace"], errors: [], revision: tools.revision,
    });
    expect(authorize(tools, call("fs.delete", { path: "a" }))).toMatchObject({ decision: "deny", reasons: ["tools.cedar:no-delete"] });
    expect(authorize(tools, call("fs.read", { path: "/etc/x" }))).toMatchObject({ decision: "deny", reasons: [] });
  });

  it("denies a request that does not fit the schema, with Cedar's message", () => {
    const bad = { ...call("fs.read", { path: "a" }), context: { tool: "fs.read" } };
    const d = authorize(tools, bad);
    expect(d.decision).toBe("deny");
    expect(d.errors.join()).toMatch(/attribute `arguments`/);
  });

  it("denies with no policies at all (default deny)", () => {
    expect(authorize(compile([]), call("fs.read", { path: "a" })).decision).toBe("deny");
  });
});

describe("authorize: slicing never changes the answer", () => {
  // Policies scoped by namespace, agent, execution or nothing, over several actions; each is
  // checked against Cedar evaluating the whole set.
  const principals = ["Namespace::\"a\"", "Namespace::\"b\"", "Agent::\"a/x\"", "Agent::\"b/y\"", "Execution::\"a/e1\""];
  const policy = fc.record({
    effect: fc.constantFrom("permit", "forbid"),
    principal: fc.oneof(fc.constant("principal"), fc.constantFrom(...principals).map((p) => `principal in ${p}`),
      fc.constantFrom(...principals.slice(2)).map((p) => `principal == ${p}`)),
    action: fc.constantFrom("action", "action == Action::\"tool:invoke\"", "action == Action::\"agent:declareTool\"",
      "action in [Action::\"tool:invoke\", Action::\"agent:egress\"]"),
    resource: fc.constantFrom("resource", "resource in Tool::\"fs.*\"", "resource == Tool::\"cmd.run\""),
  }).map((p) => `${p.effect} (${p.principal}, ${p.action}, ${p.resource});`);
  const request = fc.record({
    exec: fc.boolean(),
    ns: fc.constantFrom("a", "b"),
    tool: fc.constantFrom("fs.read", "cmd.run", "web.fetch"),
  }).map(({ exec, ns, tool }): AuthorizationRequest => {
    const agent = ns === "a" ? "x" : "y";
    return exec
      ? { principal: executionUid(ns, "e1"), action: "tool:invoke", resource: uid("Tool", tool),
          context: { tool, arguments: "{}", iteration: 1 }, entities: [...executionEntities(ns, "e1", agent), ...toolEntities(tool)] }
      : { principal: agentUid(ns, agent), action: "agent:declareTool", resource: uid("Tool", tool), context: {},
          entities: [...agentEntities(ns, agent), ...toolEntities(tool)] };
  });

  it("matches Cedar on the full set", () => {
    fc.assert(fc.property(fc.array(policy, { maxLength: 12 }), request, (texts, req) => {
      const set = compile([{ name: "p", text: texts.join("\n") }]);
      const sliced = authorize(set, req);
      const full = isAuthorized({
        principal: req.principal, action: { type: "Action", id: req.action }, resource: req.resource,
        context: req.context ?? {}, entities: [...new Map((req.entities ?? []).map((e) => [JSON.stringify(e.uid), e])).values()],
        policies: { staticPolicies: Object.fromEntries([...set.policies].map(([id, p]) => [id, p.text])) }, schema: SCHEMA_TEXT,
      });
      if (full.type !== "success") throw new Error(JSON.stringify(full.errors));
      expect(sliced.decision).toBe(full.response.decision);
      expect([...sliced.reasons].sort()).toEqual([...full.response.diagnostics.reason].sort());
    }), { numRuns: 100 });
    // 100 full Cedar evaluations with the schema: well under a second alone, slower on two busy cores.
  }, 30_000);
});
