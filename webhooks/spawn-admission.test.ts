// Spawn limits at admission (Execution with spec.parentRef, Swarm) and the image language+version
// resolves to, against the shipped default policies (manifests/base/policies.yaml) and the
// examples: normal use is admitted, denials name the field and the policy.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { KubeObject } from "../src/kube/types.ts";
import { PolicyStore } from "../src/policy/store.ts";
import { admit } from "./admission.ts";
import type { AdmissionLookup, AdmissionPolicies } from "./kinds/kind.ts";

const root = join(import.meta.dirname, "..");
const defaults = new PolicyStore();
const examples = new PolicyStore();
const policies: AdmissionPolicies = { forNamespace: (ns) => (ns === "strict" ? examples : defaults) };

beforeAll(() => {
  const shipped = parse(readFileSync(join(root, "manifests", "base", "policies.yaml"), "utf8")) as { data: Record<string, string> };
  expect(defaults.update(Object.entries(shipped.data).map(([key, text]) => ({ name: `aegis-system/aegis-default-policies/${key}`, text }))).ok).toBe(true);
  const dir = join(root, "examples", "policies");
  expect(examples.update(["admission.cedar", "tools.cedar"].map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }))).ok).toBe(true);
});

const execution = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}) =>
  ({ apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace: "team" }, spec, status }) as KubeObject;

function lookup(objects: { executions?: KubeObject[]; swarms?: KubeObject[]; registry?: Record<string, string> } = {}): AdmissionLookup {
  const find = (list: KubeObject[] | undefined, name: string) => list?.find((o) => o.metadata.name === name);
  return {
    runtimeRegistry: () => ({ ref: { namespace: "aegis-system", name: "aegis-runtime-registry" }, data: objects.registry }),
    execution: (_ns, name) => find(objects.executions, name),
    swarm: (_ns, name) => find(objects.swarms, name),
    swarmMembers: (_ns, swarm) => (objects.executions ?? []).filter((e) => (e.spec as { swarmRef?: string }).swarmRef === swarm).length,
  };
}

const review = (kind: string, object: KubeObject, namespace = "team", operation = "CREATE", oldObject?: KubeObject) => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u-1", kind: { group: "aegis.dev", version: "v1alpha1", kind }, operation, namespace, name: object.metadata.name,
    object: { ...object, metadata: { ...object.metadata, namespace } }, ...(oldObject ? { oldObject } : {}),
  },
});

type Response = { allowed: boolean; status?: { message: string; details: { causes: { field: string; message: string }[] } } };
const answer = (kind: "Agent" | "Execution" | "Swarm", body: unknown, found: AdmissionLookup = lookup()) =>
  (admit("validate", kind, body, { policies, lookup: found }).body as { response: Response }).response;

const parent = execution("run-1", { agentRef: { name: "coder" } }, { depth: 0 });
const crew = { apiVersion: "aegis.dev/v1alpha1", kind: "Swarm", metadata: { name: "crew", namespace: "team" }, spec: { parentRef: { name: "run-1" }, limits: { maxMembers: 2, maxDepth: 1, allowedAgents: ["reviewer"] } } } as KubeObject;

describe("spawned Executions", () => {
  it("admits a child of an existing parent within the default limits", () => {
    const child = execution("run-1-child", { agentRef: { name: "reviewer" }, parentRef: "run-1" });
    expect(answer("Execution", review("Execution", child), lookup({ executions: [parent] })).allowed).toBe(true);
  });

  it("denies a child deeper than 3 (no swarm), naming spec.parentRef and the default forbid", () => {
    const deep = execution("deep", { agentRef: { name: "coder" } }, { depth: 3 });
    const child = execution("deeper", { agentRef: { name: "reviewer" }, parentRef: "deep" });
    const response = answer("Execution", review("Execution", child), lookup({ executions: [deep] }));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toBe(
      "spec.parentRef: denied by policy aegis-system/aegis-default-policies/admission.cedar:spawn-within-limits " +
      "(child of deep (Agent coder) running Agent reviewer at depth 4 of at most 3)",
    );
  });

  it("holds a swarm child to the swarm's maxDepth, maxMembers and allowedAgents", () => {
    const member = (name: string, agent: string) => execution(name, { agentRef: { name: agent }, parentRef: "run-1", swarmRef: "crew" });
    const found = (existing: KubeObject[]) => lookup({ executions: [parent, ...existing], swarms: [crew] });
    expect(answer("Execution", review("Execution", member("m1", "reviewer")), found([])).allowed).toBe(true);
    expect(answer("Execution", review("Execution", member("m1", "mailer")), found([])).status?.message).toMatch(/^spec\.parentRef: denied by policy .*:spawn-within-limits \(.*limits\.allowedAgents leave out mailer\)$/);
    const full = [member("m1", "reviewer"), member("m2", "reviewer")];
    expect(answer("Execution", review("Execution", member("m3", "reviewer")), found(full)).status?.message).toContain("member 3 of at most 2 of swarm crew");
    const grandchild = execution("g", { agentRef: { name: "reviewer" }, parentRef: "m1", swarmRef: "crew" });
    const m1 = execution("m1", { agentRef: { name: "reviewer" }, parentRef: "run-1", swarmRef: "crew" }, { depth: 1 });
    expect(answer("Execution", review("Execution", grandchild), found([m1])).status?.message).toContain("depth 2 of at most 1");
  });

  it("denies a child whose parent or swarm is not found, naming the field", () => {
    const orphan = execution("orphan", { agentRef: { name: "reviewer" }, parentRef: "gone" });
    expect(answer("Execution", review("Execution", orphan)).status?.details.causes[0]?.field).toBe("spec.parentRef");
    const lost = execution("lost", { agentRef: { name: "reviewer" }, parentRef: "run-1", swarmRef: "gone" });
    expect(answer("Execution", review("Execution", lost), lookup({ executions: [parent] })).status?.details.causes[0]?.field).toBe("spec.swarmRef");
  });

  it("checks at CREATE only: a cancel of a child is never refused", () => {
    const orphan = execution("orphan", { agentRef: { name: "reviewer" }, parentRef: "gone", cancel: true });
    const old = execution("orphan", { agentRef: { name: "reviewer" }, parentRef: "gone" });
    expect(answer("Execution", review("Execution", orphan, "team", "UPDATE", old)).allowed).toBe(true);
  });

  it("checks a top-level Execution for nothing more", () => {
    expect(answer("Execution", review("Execution", execution("top", { agentRef: { name: "coder" } }))).allowed).toBe(true);
  });
});

describe("Swarms", () => {
  const swarm = (spec: Record<string, unknown>) => ({ apiVersion: "aegis.dev/v1alpha1", kind: "Swarm", metadata: { name: "crew" }, spec }) as KubeObject;

  it("admits a swarm under the default policies", () => {
    expect(answer("Swarm", review("Swarm", swarm({ members: [{ name: "a", agentRef: "coder" }], limits: { maxMembers: 10, maxDepth: 3 } }))).allowed).toBe(true);
  });

  it("denies limits beyond a namespace's bounds, naming each field and the policy", () => {
    const response = answer("Swarm", review("Swarm", swarm({
      members: [{ name: "a", agentRef: "coder" }], limits: { maxMembers: 10, maxDepth: 3, allowedAgents: ["reviewer"] },
    }), "strict"));
    expect(response.status?.details.causes.map((c) => c.field)).toEqual(["spec.members[0].agentRef", "spec.limits.allowedAgents[0]"]);
    expect(response.status?.details.causes[0]?.message).toBe("no policy permits it (member a runs Agent coder; 1 member Executions of at most 10)");
    expect(answer("Swarm", review("Swarm", swarm({ members: [{ name: "a", agentRef: "coder" }], limits: { maxMembers: 5, maxDepth: 2 } }), "strict")).allowed).toBe(true);
  });

  it("does not re-check an update that leaves members and limits alone (a cancel)", () => {
    const wide = { members: [{ name: "a", agentRef: "coder" }], limits: { maxMembers: 10, maxDepth: 3 } };
    expect(answer("Swarm", review("Swarm", swarm({ ...wide, cancel: true }), "strict", "UPDATE", swarm(wide))).allowed).toBe(true);
  });
});

describe("the image language+version resolves to", () => {
  const agent = (runtime: Record<string, unknown>) => ({
    apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "coder" },
    spec: {
      runtime, task: { instruction: "Fix it." }, tools: ["fs.read"],
      security: { network: { mode: "Deny", allowlist: ["pypi.org"] } },
    },
  }) as KubeObject;
  const registry = { "python-3.12": "ghcr.io/acme/agent-python:3.12", "python-3.11": "docker.io/someone/python:3.11" };

  it("is checked with agent:useImage, the denial naming spec.runtime.language, the policy and the image", () => {
    const found = lookup({ registry });
    expect(answer("Agent", review("Agent", agent({ language: "python", version: "3.12" }), "strict"), found).allowed).toBe(true);
    const response = answer("Agent", review("Agent", agent({ language: "python", version: "3.11" }), "strict"), found);
    expect(response.status?.details.causes).toEqual([{
      type: "FieldValueInvalid", field: "spec.runtime.language", message: "no policy permits it (python 3.11 runs image docker.io/someone/python:3.11)",
    }]);
  });

  it("names the forbid that denies it", () => {
    const forbidding = new PolicyStore();
    expect(forbidding.update([{ name: "team.cedar", text: 'permit (principal, action, resource);\n@id("no-someone")\nforbid (principal, action == Action::"agent:useImage", resource) when { resource.repository like "someone/*" };' }]).ok).toBe(true);
    const body = review("Agent", agent({ language: "python", version: "3.11" }));
    const response = (admit("validate", "Agent", body, { policies: { forNamespace: () => forbidding }, lookup: lookup({ registry }) }).body as { response: Response }).response;
    expect(response.status?.message).toBe("spec.runtime.language: denied by policy team.cedar:no-someone (python 3.11 runs image docker.io/someone/python:3.11)");
  });

  it("is not checked while the registry cannot resolve it (Ready reports that)", () => {
    expect(answer("Agent", review("Agent", agent({ language: "python", version: "3.99" }), "strict"), lookup({ registry })).allowed).toBe(true);
    expect(answer("Agent", review("Agent", agent({ language: "python", version: "3.11" }), "strict"), lookup()).allowed).toBe(true);
  });
});

describe("with policies and lookups", () => {
  it("never throws, and answers every Execution and Swarm review", { timeout: 30_000 }, () => {
    const found = lookup({ executions: [parent, execution("deep", { agentRef: { name: "coder" } }, { depth: 3 })], swarms: [crew] });
    const spec = fc.oneof(
      fc.anything(),
      fc.record({ agentRef: fc.record({ name: fc.string() }), parentRef: fc.constantFrom("run-1", "deep", "gone"), swarmRef: fc.option(fc.constantFrom("crew", "gone"), { nil: undefined }) }),
      fc.record({ members: fc.array(fc.record({ name: fc.string(), agentRef: fc.anything(), replicas: fc.anything() })), limits: fc.anything() }),
    );
    fc.assert(fc.property(fc.constantFrom("Execution", "Swarm" as const), spec, fc.constantFrom("CREATE", "UPDATE"), (kind, s, operation) => {
      const object = { apiVersion: "aegis.dev/v1alpha1", kind, metadata: { name: "x" }, spec: s } as KubeObject;
      const answered = admit("validate", kind, review(kind, object, "strict", operation, { ...object, spec: {} }), { policies, lookup: found });
      expect(answered.status).toBe(200);
    }), { numRuns: 300 });
  });
});
