import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admit, routeOf } from "./admission.ts";

const agent = (spec: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u-1",
    kind: { group: "aegis.dev", version: "v1alpha1", kind: "Agent" },
    operation: "CREATE",
    object: { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "a" }, spec },
    ...extra,
  },
});

const good = { runtime: { image: "img:1", model: "default" }, task: { instruction: "do it" } };

type Review = { response: { allowed: boolean; status?: { message: string; details?: { causes: { field: string }[] } }; patch?: string } };
const responseOf = (answer: ReturnType<typeof admit>) => (answer.body as Review).response;

describe("admit", () => {
  it("admits a consistent Agent", () => {
    const answer = admit("validate", "Agent", agent(good));
    expect(answer.status).toBe(200);
    expect(responseOf(answer)).toEqual({ uid: "u-1", allowed: true });
  });

  it.each([
    { why: "the controller's runtime rule", spec: { ...good, runtime: { model: "default" } }, field: "spec.runtime", text: "set either runtime.image" },
    { why: "a spec reading error, with the index", spec: { ...good, volumes: [{ name: 1, mountPath: "/w", size: "1Gi" }] }, field: "spec.volumes[0].name", text: "expected string" },
    {
      why: "a Regex pattern that is not RE2",
      spec: { ...good, execution: { validation: [{ type: "ExitCode" }, { type: "Regex", pattern: "(" }] } },
      field: "spec.execution.validation[1].pattern",
      text: "not a valid RE2 pattern",
    },
    {
      why: "a JSON schema that does not compile",
      spec: { ...good, execution: { validation: [{ type: "JSONSchema", schema: { type: "nonsense" } }] } },
      field: "spec.execution.validation[0].schema",
      text: "does not compile",
    },
  ])("denies $why, naming the field", ({ spec, field, text }) => {
    const response = responseOf(admit("validate", "Agent", agent(spec)));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toMatch(new RegExp(`^${field.replaceAll(/[.[\]]/g, "\\$&")}: .*${text}`));
    expect(response.status?.details?.causes[0]?.field).toBe(field);
  });

  it("admits spec-less updates (finalizers, deletion) of objects a newer rule would deny", () => {
    const bad = { ...good, runtime: { model: "default" } };
    const update = agent(bad, { operation: "UPDATE", oldObject: { metadata: { name: "a" }, spec: bad } });
    expect(responseOf(admit("validate", "Agent", update)).allowed).toBe(true);
  });

  it("denies a NodeConfig offering one alias twice", () => {
    const models = [{ alias: "fast", model: "m" }];
    const review = agent({ type: "Orchestrator", llmProviders: [{ name: "a", models }, { name: "b", models }] });
    review.request.kind.kind = "NodeConfig";
    const response = responseOf(admit("validate", "NodeConfig", review));
    expect(response.status?.message).toMatch(/^spec\.llmProviders: model alias "fast"/);
  });

  it("denies a review of another kind than the path's", () => {
    expect(responseOf(admit("validate", "Execution", agent(good))).allowed).toBe(false);
  });

  it("defaults validator thresholds by type and leaves set ones alone", () => {
    const spec = { ...good, execution: { validation: [{ type: "ExitCode" }, { type: "Semantic", minScore: 0.9, judgeAgent: "j", criteria: "c" }] } };
    const patch = JSON.parse(Buffer.from(responseOf(admit("mutate", "Agent", agent(spec))).patch ?? "", "base64").toString()) as unknown;
    expect(patch).toEqual([
      { op: "add", path: "/spec/execution/validation/0/minScore", value: 1 },
      { op: "add", path: "/spec/execution/validation/0/minConfidence", value: 0 },
      { op: "add", path: "/spec/execution/validation/1/minConfidence", value: 0 },
    ]);
  });

  it("mutates nothing when the CRD defaults cover everything", () => {
    expect(responseOf(admit("mutate", "Agent", agent(good)))).toEqual({ uid: "u-1", allowed: true });
  });

  it("answers 400 to a body without an AdmissionReview request", () => {
    expect(admit("validate", "Agent", { kind: "AdmissionReview" }).status).toBe(400);
  });

  it("never throws on any JSON, for every kind and mode", () => {
    const kinds = fc.constantFrom("Agent", "Execution", "Workflow", "Swarm", "Volume", "NodeConfig" as const);
    const reviews = fc.oneof(
      fc.jsonValue(),
      fc.record({ apiVersion: fc.constant("admission.k8s.io/v1"), kind: fc.constant("AdmissionReview"), request: fc.record({
        uid: fc.string({ minLength: 1 }), kind: fc.record({ group: fc.constant("aegis.dev"), version: fc.string(), kind: kinds }),
        operation: fc.constantFrom("CREATE", "UPDATE", "DELETE"), object: fc.anything(), oldObject: fc.anything(),
      }) }),
      fc.anything().map((spec) => agent(spec)),
    );
    fc.assert(fc.property(fc.constantFrom("validate", "mutate" as const), kinds, reviews, (mode, kind, body) => {
      const answer = admit(mode, kind as never, body);
      expect([200, 400]).toContain(answer.status);
    }), { numRuns: 2000 });
  });
});

describe("routeOf", () => {
  it.each([
    ["/validate/agent", { mode: "validate", kind: "Agent" }],
    ["/mutate/nodeconfig", { mode: "mutate", kind: "NodeConfig" }],
    ["/validate/pods", undefined],
    ["/validate/agent/x", undefined],
  ])("%s", (path, want) => expect(routeOf(path)).toEqual(want));
});
