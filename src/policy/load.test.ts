import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePolicies, formatPolicyError, revisionOf } from "./load.ts";
import { PolicyStore } from "./store.ts";
import { toolCallRequest } from "./tool-request.ts";

const ALLOW_READ = `@id("read")
permit (principal, action == Action::"tool:invoke", resource == Tool::"fs.read");`;
const FORBID_ALL = `forbid (principal, action, resource);`;

describe("compilePolicies", () => {
  it("compiles sources into one set with ids named after the source", () => {
    const r = compilePolicies([{ name: "a.cedar", text: ALLOW_READ }, { name: "b.cedar", text: `${FORBID_ALL}\n${FORBID_ALL}` }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.policySet.policies.keys()].sort()).toEqual(["a.cedar:read", "b.cedar:policy0", "b.cedar:policy1"]);
  });

  it("gives the same revision whatever the order of the sources, another for other content", () => {
    const a = { name: "a", text: ALLOW_READ };
    const b = { name: "b", text: FORBID_ALL };
    expect(revisionOf([a, b])).toBe(revisionOf([b, a]));
    expect(revisionOf([a, b])).not.toBe(revisionOf([a, { name: "b", text: `${FORBID_ALL} ` }]));
    expect(revisionOf([a])).not.toBe(revisionOf([{ name: "c", text: ALLOW_READ }]));
  });

  it("reports a syntax error with Cedar's message, the source and the line", () => {
    const r = compilePolicies([{ name: "ok.cedar", text: ALLOW_READ }, { name: "team-a/bad.cedar", text: "// one\npermit (principal, action resource);" }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(formatPolicyError(r.errors[0]!)).toMatch(/^team-a\/bad\.cedar:2:\d+: .*unexpected token `resource`/);
  });

  it("reports a schema violation with the policy id and where it is", () => {
    const text = `${ALLOW_READ}\n\n@id("typo")\npermit (principal, action == Action::"tool:invoke", resource) when { context.pathh == "/x" };`;
    const r = compilePolicies([{ name: "tools.cedar", text }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.objectContaining({ source: "tools.cedar", policyId: "tools.cedar:typo", line: 5 })]);
    expect(r.errors[0]!.message).toMatch(/attribute `pathh` in context .* not found/);
  });

  it("rejects an unknown action and an unknown entity type", () => {
    const r = compilePolicies([
      { name: "x", text: `permit (principal, action == Action::"tool:launch", resource);` },
      { name: "y", text: `permit (principal is User, action, resource);` },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.source).sort()).toEqual(["x", "y"]);
  });

  it("rejects duplicate source names, duplicate ids and templates", () => {
    const dup = compilePolicies([{ name: "a", text: ALLOW_READ }, { name: "a", text: FORBID_ALL }]);
    expect(dup.ok).toBe(false);
    const ids = compilePolicies([{ name: "a", text: `${ALLOW_READ}\n${ALLOW_READ}` }]);
    expect(ids.ok ? [] : ids.errors.map((e) => e.message)).toContain("duplicate policy id");
    const tpl = compilePolicies([{ name: "t", text: `permit (principal == ?principal, action, resource);` }]);
    expect(tpl.ok ? "" : tpl.errors[0]!.message).toMatch(/templates are not supported/);
  });

  it("never throws on arbitrary text: it compiles or returns errors naming the source", () => {
    const fragments = fc.constantFrom("permit", "forbid", "(", ")", ";", "principal", "action", "resource", ",", "when", "{", "}",
      "context.path", "like", "\"/workspace/*\"", "==", "Action::\"tool:invoke\"", "@id(\"x\")", "in", "Tool::\"fs.*\"", "\n", "//");
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fragments, { maxLength: 30 }).map((a) => a.join(" ")));
    fc.assert(fc.property(text, (t) => {
      const r = compilePolicies([{ name: "fuzz.cedar", text: t }]);
      if (!r.ok) {
        expect(r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) expect(["fuzz.cedar", "(all)"]).toContain(e.source);
      }
    }), { numRuns: 300 });
    // 300 Cedar parses: fast alone, slower on two busy cores.
  }, 30_000);
});

describe("PolicyStore", () => {
  const read = toolCallRequest({ namespace: "ns", execution: "e", agent: "a", iteration: 1, tool: "fs.read", arguments: { path: "x" } });
  const request = read.ok ? read.request : undefined!;

  it("denies everything before the first good update", () => {
    expect(new PolicyStore().authorize(request)).toMatchObject({ decision: "deny", errors: ["no policy set loaded"] });
  });

  it("keeps the last good set when an update is invalid", () => {
    const store = new PolicyStore();
    const first = store.update([{ name: "p", text: ALLOW_READ }], { commit: "abc123" });
    expect(first).toMatchObject({ ok: true, changed: true });
    const bad = store.update([{ name: "p", text: "permit (" }]);
    expect(bad).toMatchObject({ ok: false, revision: first.ok ? first.revision : "" });
    expect(store.authorize(request)).toMatchObject({ decision: "allow", reasons: ["p:read"], commit: "abc123" });
    expect(store.current()?.policySet.revision).toBe(first.ok ? first.revision : "");
  });

  it("applies a valid update at once, and reports an unchanged one", () => {
    const store = new PolicyStore();
    store.update([{ name: "p", text: ALLOW_READ }]);
    expect(store.update([{ name: "p", text: ALLOW_READ }])).toMatchObject({ ok: true, changed: false });
    expect(store.update([{ name: "p", text: ALLOW_READ }, { name: "q", text: FORBID_ALL }])).toMatchObject({ ok: true, changed: true });
    expect(store.authorize(request)).toMatchObject({ decision: "deny", reasons: ["q:policy0"] });
  });
});
