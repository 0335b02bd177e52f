// Cedar admission checks in the validating webhook, with a real PolicyStore fed from
// examples/policies/*.cedar: each denial names the field and the policy (or that none permits it).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PolicyStore } from "../src/policy/store.ts";
import { admit } from "./admission.ts";
import type { AdmissionPolicies } from "./kinds/kind.ts";

const dir = join(import.meta.dirname, "..", "examples", "policies");
const examples = new PolicyStore();
const open = new PolicyStore();
const asked: string[] = [];
const policies: AdmissionPolicies = {
  forNamespace: (ns) => {
    asked.push(ns);
    return ns === "team" ? examples : open;
  },
};

beforeAll(() => {
  const sources = readdirSync(dir).filter((f) => f.endsWith(".cedar")).map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
  expect(examples.update(sources).ok).toBe(true);
  expect(open.update([{ name: "open.cedar", text: "permit (principal, action, resource);" }]).ok).toBe(true);
});

const review = (spec: unknown, namespace = "team", operation = "CREATE") => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u-1",
    kind: { group: "aegis.dev", version: "v1alpha1", kind: "Agent" },
    operation,
    namespace,
    name: "coder",
    object: { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "coder", namespace }, spec },
  },
});

const within = {
  runtime: { image: "ghcr.io/acme/agent-python:3.12", model: "default" },
  task: { instruction: "Fix the failing test." },
  tools: ["fs.read", "fs.write", "cmd.run"],
  security: { network: { mode: "Deny", allowlist: ["pypi.org"] }, filesystem: { read: ["/workspace/**"], write: ["/workspace/src/**"] } },
  execution: { maxIterations: 5, timeout: "30m" },
};

type Response = { allowed: boolean; status?: { message: string; details: { causes: { field: string; message: string }[] } } };
const answer = (body: unknown, withPolicies = true) =>
  (admit("validate", "Agent", body, withPolicies ? { policies } : {}).body as { response: Response }).response;

describe("Cedar admission checks", () => {
  it("admits an Agent within every limit of its namespace's policies", () => {
    expect(answer(review(within)).allowed).toBe(true);
  });

  it("denies each field the policies do not permit, naming the field and the policy", () => {
    const spec = { ...within, runtime: { image: "docker.io/someone/agent:latest" }, tools: ["fs.read", "mcp:gmail"] };
    const response = answer(review(spec));
    expect(response.allowed).toBe(false);
    expect(response.status?.details.causes.map((c) => c.field)).toEqual(["spec.tools[1]", "spec.runtime.image"]);
    expect(response.status?.message).toBe("spec.tools[1]: no policy permits it; spec.runtime.image: no policy permits it");
  });

  it("names the policy of a forbid", () => {
    const forbidding = new PolicyStore();
    expect(forbidding.update([
      { name: "team.cedar", text: 'permit (principal, action, resource);\n@id("no-cmd")\nforbid (principal, action == Action::"agent:declareTool", resource == Tool::"cmd.run");' },
    ]).ok).toBe(true);
    const response = (admit("validate", "Agent", review(within), { policies: { forNamespace: () => forbidding } }).body as { response: Response }).response;
    expect(response.status?.message).toBe("spec.tools[2]: denied by policy team.cedar:no-cmd");
  });

  it("holds budgets to the policy: more than ten iterations is denied", () => {
    const response = answer(review({ ...within, execution: { maxIterations: 15 } }));
    expect(response.status?.details.causes).toEqual([{ type: "FieldValueInvalid", field: "spec.execution", message: "no policy permits it" }]);
  });

  it("asks for the policies of the object's namespace", () => {
    asked.length = 0;
    expect(answer(review({ ...within, tools: ["mcp:gmail"] }, "elsewhere")).allowed).toBe(true);
    expect(asked).toEqual(["elsewhere"]);
  });

  it("checks nothing with Cedar without policies, and nothing on a spec-untouched update", () => {
    const outside = { ...within, runtime: { image: "docker.io/someone/agent:latest" } };
    expect(answer(review(outside), false).allowed).toBe(true);
    const update = review(outside, "team", "UPDATE") as { request: Record<string, unknown> };
    update.request.oldObject = update.request.object;
    expect(answer(update).allowed).toBe(true);
  });

  it("fails closed when no policy set is loaded, or the policies cannot be read", () => {
    const empty = (admit("validate", "Agent", review(within), { policies: { forNamespace: () => new PolicyStore() } }).body as { response: Response }).response;
    expect(empty.allowed).toBe(false);
    expect(empty.status?.message).toContain("no policy set loaded");
    const broken = (admit("validate", "Agent", review(within), { policies: { forNamespace: () => { throw new Error("unreadable"); } } }).body as { response: Response }).response;
    expect(broken.status?.details.causes).toEqual([{ type: "FieldValueInvalid", field: "spec", message: "the Cedar admission check failed: unreadable" }]);
  });
});
