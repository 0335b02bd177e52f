// Structural checks over every generated CRD: what the API server, kubectl explain and CEL cost
// estimation need, walked over the whole schema tree.
import { describe, expect, it } from "vitest";
import type { Schema } from "./builders.ts";
import { CATEGORY, GROUP, KINDS, VERSION, crdFor } from "./index.ts";

interface Node { path: string; schema: Schema }

function walk(schema: Schema, path: string, out: Node[] = []): Node[] {
  out.push({ path, schema });
  for (const [key, prop] of Object.entries(schema.properties ?? {})) walk(prop, `${path}.${key}`, out);
  if (schema.items) walk(schema.items, `${path}[]`, out);
  if (schema.additionalProperties) walk(schema.additionalProperties, `${path}{}`, out);
  return out;
}

const crds = KINDS.map((def) => ({ def, crd: crdFor(def) }));
const version = (c: (typeof crds)[number]) => c.crd.spec.versions[0]!;
const nodesOf = (c: (typeof crds)[number]) => walk(version(c).schema.openAPIV3Schema, c.def.kind.toLowerCase());
const find = (kind: string, path: string): Schema => {
  const c = crds.find((x) => x.def.kind === kind)!;
  const node = nodesOf(c).find((n) => n.path === `${kind.toLowerCase()}.${path}`);
  if (!node) throw new Error(`no ${kind} ${path}`);
  return node.schema;
};
const rulesAt = (kind: string, path: string): string[] =>
  (find(kind, path)["x-kubernetes-validations"] ?? []).map((r) => r.rule);

describe.each(crds)("$def.kind CRD", (c) => {
  const v = version(c);
  const nodes = nodesOf(c);

  it("is named, grouped, categorised and served as aegis.dev/v1alpha1 with a status subresource", () => {
    expect(c.crd.metadata.name).toBe(`${c.def.plural}.${GROUP}`);
    expect(c.crd.spec.names.categories).toEqual([CATEGORY]);
    expect(c.crd.spec.names.shortNames.length).toBeGreaterThan(0);
    expect(v.name).toBe(VERSION);
    expect(v.subresources.status).toEqual({});
  });

  it("describes every field (kubectl explain teaches)", () => {
    const apiServerOwned = `${c.def.kind.toLowerCase()}.metadata`;
    const undocumented = nodes.filter((n) =>
      n.path !== apiServerOwned && !n.path.endsWith("[]") && !n.path.endsWith("{}") && !n.schema.description?.trim());
    expect(undocumented.map((n) => n.path)).toEqual([]);
  });

  it("bounds every string and list that CEL might iterate over", () => {
    const unboundedStrings = nodes.filter((n) =>
      n.schema.type === "string" && n.schema.maxLength === undefined && !n.schema.enum && n.schema.format !== "date-time");
    const unboundedLists = nodes.filter((n) => n.schema.type === "array" && n.schema.maxItems === undefined);
    const unboundedMaps = nodes.filter((n) => n.schema.additionalProperties && n.schema.maxProperties === undefined);
    expect([...unboundedStrings, ...unboundedLists, ...unboundedMaps].map((n) => n.path)).toEqual([]);
  });

  it("gives every CEL rule a message, and names a field with fieldPath or in the message", () => {
    for (const n of nodes) {
      for (const r of n.schema["x-kubernetes-validations"] ?? []) {
        expect(r.message.length, `${n.path}: ${r.rule}`).toBeGreaterThan(0);
        if (r.fieldPath) expect(r.fieldPath).toMatch(/^(\.[A-Za-z][A-Za-z0-9]*)+$/);
      }
    }
  });

  it("has status.observedGeneration (int64) and status.conditions as a list-map keyed by type", () => {
    const status = v.schema.openAPIV3Schema.properties!.status!;
    expect(status.properties!.observedGeneration).toMatchObject({ type: "integer", format: "int64" });
    const conditions = status.properties!.conditions!;
    expect(conditions["x-kubernetes-list-type"]).toBe("map");
    expect(conditions["x-kubernetes-list-map-keys"]).toEqual(["type"]);
    expect(conditions.items!.required).toEqual(["type", "status", "lastTransitionTime", "reason", "message"]);
    expect(conditions.items!.properties!.status!.enum).toEqual(["True", "False", "Unknown"]);
  });

  it("ends its printer columns with Age and only uses simple JSONPaths", () => {
    const cols = v.additionalPrinterColumns;
    expect(cols.at(-1)).toMatchObject({ name: "Age", type: "date" });
    for (const col of cols) expect(col.jsonPath).toMatch(/^\.(metadata|spec|status)\./);
  });
});

describe("printer columns", () => {
  const columns = (kind: string) =>
    version(crds.find((c) => c.def.kind === kind)!).additionalPrinterColumns.filter((col) => !col.priority).map((col) => col.name);

  it.each([
    ["Execution", ["Agent", "Phase", "Iteration", "Score", "Tokens", "Age"]],
    ["Agent", ["Model", "Ready", "Age"]],
    ["Volume", ["Class", "Size", "Phase", "Age"]],
    ["NodeConfig", ["Type", "Tags", "Nodes", "Age"]],
    ["Workflow", ["Initial", "States", "Ready", "Age"]],
    ["Swarm", ["Parent", "Phase", "Members", "Running", "Age"]],
  ])("%s shows %j", (kind, expected) => {
    expect(columns(kind)).toEqual(expected);
  });

  it("reads Ready from the Ready condition and Iteration from status.iterationDisplay", () => {
    const agent = version(crds.find((c) => c.def.kind === "Agent")!).additionalPrinterColumns;
    expect(agent.find((c) => c.name === "Ready")!.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
    const ex = version(crds.find((c) => c.def.kind === "Execution")!).additionalPrinterColumns;
    expect(ex.find((c) => c.name === "Iteration")!.jsonPath).toBe(".status.iterationDisplay");
  });
});

describe("scope and names", () => {
  it.each([
    ["Agent", "ag", "Namespaced"], ["Execution", "ex", "Namespaced"], ["Workflow", "wf", "Namespaced"],
    ["Swarm", "sw", "Namespaced"], ["Volume", "vol", "Namespaced"], ["NodeConfig", "nc", "Cluster"],
  ])("%s is short %s and %s", (kind, short, scope) => {
    const c = crds.find((x) => x.def.kind === kind)!;
    expect(c.crd.spec.names.shortNames).toEqual([short]);
    expect(c.crd.spec.scope).toBe(scope);
  });
});

describe("CEL rules where the schema alone cannot say it", () => {
  it.each([
    ["Agent", "spec.runtime", "has(self.image) != (has(self.language) || has(self.version))"],
    ["Agent", "spec.runtime", "has(self.language) == has(self.version)"],
    ["Agent", "spec.execution.validation[]", "self.type != 'Regex' || has(self.pattern)"],
    ["Agent", "spec.execution.validation[]", "self.type != 'JSONSchema' || has(self.schema)"],
    ["Agent", "spec.execution.validation[]", "self.type != 'Semantic' || has(self.judgeAgent)"],
    ["Agent", "spec.execution.validation[]", "self.type != 'MultiJudge' || has(self.judges)"],
    ["Agent", "spec.execution.toolValidation", "self.all(v, v.type == 'Semantic')"],
    ["Agent", "spec.volumes[]", "!has(self.ttl) || self.storageClass == 'Ephemeral'"],
    ["Volume", "spec", "!has(self.ttl) || self.storageClass == 'Ephemeral'"],
    ["Volume", "spec", "self.storageClass == oldSelf.storageClass"],
    ["Execution", "spec", "has(self.agentRef) != has(self.workflowRef)"],
    ["Execution", "spec.cancel", "self || !oldSelf"],
    ["Workflow", "spec", "self.states.exists(s, s.name == self.initialState)"],
    ["Workflow", "spec.states[]", "(self.kind == 'Human') == has(self.human)"],
    ["Swarm", "spec.limits", "self.maxConcurrent <= self.maxMembers"],
    ["NodeConfig", "spec", "!has(self.llmProviders) || self.type != 'Edge'"],
  ])("%s %s: %s", (kind, path, expr) => {
    expect(rulesAt(kind, path)).toContain(expr);
  });

  it("bounds maxIterations to 1–20 and makes human prompts and model aliases structural", () => {
    expect(find("Agent", "spec.execution.maxIterations")).toMatchObject({ minimum: 1, maximum: 20, default: 5 });
    expect(find("Workflow", "spec.states[].human").required).toEqual(["prompt"]);
    expect(find("NodeConfig", "spec.llmProviders[].models")["x-kubernetes-list-map-keys"]).toEqual(["alias"]);
  });

  it("checks transition targets against the states, at the spec level", () => {
    expect(rulesAt("Workflow", "spec").some((r) => r.includes("t.target"))).toBe(true);
  });
});
