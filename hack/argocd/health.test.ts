// The Argo CD health checks, run by the interpreter Argo CD embeds (gopher-lua, through
// hack/lua-health) on the scripts exactly as the shipped argocd-cm patch carries them.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ControlPlaneError } from "../../src/local/controlplane/errors.ts";
import { repoRoot } from "../../src/local/paths.ts";
import { ensureLuaHealth, runHealthScript } from "../lua-health/module.ts";
import { ARGOCD_CM_PATCH, HEALTH_DIR, HEALTH_KINDS, type HealthKind, healthKey, healthScript, renderArgocdCmPatch } from "./health.ts";

const shipped = (parse(readFileSync(join(repoRoot(), ARGOCD_CM_PATCH), "utf8")) as { data: Record<string, string> }).data;

describe("manifests/argocd/argocd-cm-patch.yaml", () => {
  it("is what hack/argocd/gen.ts renders from health/*.lua (run it after editing a script)", () => {
    expect(readFileSync(join(repoRoot(), ARGOCD_CM_PATCH), "utf8")).toBe(renderArgocdCmPatch());
  });

  it("has one health check per kind, each common.lua followed by the kind's script", () => {
    expect(Object.keys(shipped).sort()).toEqual(HEALTH_KINDS.map(healthKey).sort());
    for (const kind of HEALTH_KINDS) expect(shipped[healthKey(kind)]).toBe(healthScript(kind));
    const scripts = readdirSync(join(repoRoot(), HEALTH_DIR)).filter((f) => f.endsWith(".lua"));
    expect(scripts.sort()).toEqual(["common.lua", ...HEALTH_KINDS.map((k) => `${k}.lua`)].sort());
  });
});

type Obj = Record<string, unknown>;
const ready = (status: string, reason: string, message = "", extra: Obj = {}): Obj => ({ type: "Ready", status, reason, message, ...extra });
const obj = (status: Obj | undefined, generation = 3): Obj => ({
  apiVersion: "aegis.dev/v1alpha1",
  metadata: { name: "x", namespace: "default", generation },
  spec: {},
  ...(status === undefined ? {} : { status: { observedGeneration: generation, ...status } }),
});

const SAMPLES: readonly [HealthKind, string, string, Obj][] = [
  ["Agent", "no status yet", "Progressing", obj(undefined)],
  ["Agent", "resolved", "Healthy", obj({ conditions: [{ type: "Accepted", status: "True", reason: "SpecValid" }, ready("True", "Resolved")] })],
  ["Agent", "a missing Volume", "Degraded", obj({ conditions: [ready("False", "VolumeMissing", "volume data not found")] })],
  ["Agent", "an inconsistent spec", "Degraded", obj({ conditions: [{ type: "Accepted", status: "False", reason: "InvalidRuntime", message: "image xor language" }] })],
  ["Agent", "a spec change not yet observed", "Progressing", { ...obj({ conditions: [ready("True", "Resolved")] }), metadata: { generation: 4 } }],
  ["Agent", "a Ready condition from an older generation", "Progressing", obj({ conditions: [ready("True", "Resolved", "", { observedGeneration: 2 })] })],
  ["Execution", "just created", "Progressing", obj(undefined, 1)],
  ["Execution", "pending", "Progressing", obj({ phase: "Pending", conditions: [ready("False", "Pending")] })],
  ["Execution", "running", "Progressing", obj({ phase: "Running", conditions: [ready("True", "Running", "iteration 1/3")] })],
  ["Execution", "refining", "Progressing", obj({ phase: "Refining", conditions: [ready("True", "Refining", "iteration 2/3")] })],
  ["Execution", "waiting for its Agent", "Progressing", obj({ phase: "Pending", conditions: [ready("False", "AgentNotReady")] })],
  ["Execution", "succeeded", "Healthy", obj({ phase: "Succeeded", reason: "ValidatorsPassed", conditions: [ready("True", "ValidatorsPassed")] })],
  ["Execution", "failed", "Degraded", obj({ phase: "Failed", reason: "MaxIterationsReached", message: "score 0.4 < 0.8", conditions: [ready("False", "MaxIterationsReached")] })],
  ["Execution", "cancelled", "Degraded", obj({ phase: "Cancelled", conditions: [ready("False", "Cancelled"), { type: "Cancelled", status: "True", reason: "Cancelled" }] })],
  ["Execution", "an unknown Agent", "Degraded", obj({ phase: "Pending", conditions: [ready("False", "AgentNotFound", "agent coder not found")] })],
  ["Execution", "a workflow run waiting for a human", "Suspended", obj({ phase: "Running", currentState: "approve", conditions: [ready("False", "WaitingForApproval", "Merge PR 12?")] })],
  ["Workflow", "ready", "Healthy", obj({ stateCount: 3, missingAgents: [], conditions: [ready("True", "Resolved")] })],
  ["Workflow", "missing agents", "Degraded", obj({ stateCount: 3, missingAgents: ["coder", "reviewer"], conditions: [ready("False", "AgentsNotFound")] })],
  ["Workflow", "not observed yet", "Progressing", obj({ stateCount: 3 })],
  ["Swarm", "forming", "Progressing", obj({ phase: "Pending" })],
  ["Swarm", "active", "Healthy", obj({ phase: "Active", memberCount: 3, running: 2 })],
  ["Swarm", "dissolved as designed", "Healthy", obj({ phase: "Dissolved", dissolveReason: "AllChildrenComplete" })],
  ["Swarm", "dissolved for a security violation", "Degraded", obj({ phase: "Dissolved", dissolveReason: "SecurityViolation" })],
  ["Volume", "creating", "Progressing", obj({ phase: "Creating" })],
  ["Volume", "attached", "Healthy", obj({ phase: "Attached", attachedTo: ["run-1"] })],
  ["Volume", "failed", "Degraded", obj({ phase: "Failed", message: "no space on node" })],
  ["NodeConfig", "nodes selected", "Healthy", obj({ matchedNodes: 2, conditions: [ready("True", "NodesSelected")] })],
  ["NodeConfig", "no node matches", "Degraded", obj({ matchedNodes: 0, conditions: [ready("False", "NoNodesMatched", "selector matches no Node")] })],
  ["NodeConfig", "a missing provider Secret", "Degraded", obj({ conditions: [ready("False", "ProviderSecretMissing")] })],
  ["NodeConfig", "a provider Secret it may not read", "Degraded", obj({ conditions: [ready("False", "ProviderSecretUnreadable")] })],
];

describe("the health checks under gopher-lua", () => {
  let binary: string;
  let dir: string;
  const scriptPath = (kind: HealthKind): string => join(dir, `${kind}.lua`);
  beforeAll(async () => {
    binary = await ensureLuaHealth();
    dir = mkdtempSync(join(tmpdir(), "aegis-argocd-health-"));
    for (const kind of HEALTH_KINDS) writeFileSync(scriptPath(kind), shipped[healthKey(kind)]!);
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("covers every kind with at least two samples", () => {
    for (const kind of HEALTH_KINDS) expect(SAMPLES.filter(([k]) => k === kind).length).toBeGreaterThanOrEqual(2);
    expect(SAMPLES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(SAMPLES)("%s, %s → %s", (kind, _what, expected, object) => {
    const [health] = runHealthScript(binary, scriptPath(kind), [object]);
    expect(health?.error).toBeUndefined();
    expect(health?.status).toBe(expected);
  });

  it("explains Degraded and Suspended with the reason and message", () => {
    const [suspended] = runHealthScript(binary, scriptPath("Execution"), [SAMPLES.find(([, w]) => w === "a workflow run waiting for a human")![3]]);
    expect(suspended?.message).toBe("WaitingForApproval: Merge PR 12?");
    const [failed] = runHealthScript(binary, scriptPath("Execution"), [SAMPLES.find(([, w]) => w === "failed")![3]]);
    expect(failed?.message).toBe("Failed: score 0.4 < 0.8");
  });

  // Anything the API server could hold, and much it could not: the script must still answer.
  const reasons = ["Resolved", "VolumeMissing", "WaitingForApproval", "AgentNotFound", "NoNodesMatched", "InvalidSpec", "Running", "Cancelled"];
  const phases = ["Pending", "Running", "Succeeded", "Failed", "Cancelled", "Active", "Dissolved", "Available", "Failed"];
  const loose = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof(arb, fc.jsonValue({ maxDepth: 3 }));
  const conditionArb = loose(fc.record({
    type: loose(fc.constantFrom("Ready", "Accepted", "Succeeded")),
    status: loose(fc.constantFrom("True", "False", "Unknown")),
    reason: loose(fc.constantFrom(...reasons)),
    message: loose(fc.string()),
    observedGeneration: loose(fc.integer({ min: -1, max: 5 })),
  }, { requiredKeys: [] }));
  const statusArb = loose(fc.record({
    observedGeneration: loose(fc.integer({ min: -1, max: 5 })),
    phase: loose(fc.constantFrom(...phases)),
    conditions: loose(fc.array(conditionArb, { maxLength: 4 })),
    missingAgents: loose(fc.array(loose(fc.string()), { maxLength: 3 })),
    dissolveReason: loose(fc.constantFrom("SecurityViolation", "Manual")),
    message: loose(fc.string()),
  }, { requiredKeys: [] }));
  const objectArb = fc.record({
    metadata: loose(fc.record({ generation: loose(fc.integer({ min: 0, max: 5 })) }, { requiredKeys: [] })),
    status: statusArb,
  }, { requiredKeys: [] });

  it.each(HEALTH_KINDS)("%s: garbage statuses never make the script fail", (kind) => {
    fc.assert(
      fc.property(fc.array(objectArb, { minLength: 40, maxLength: 40 }), (objects) => {
        for (const health of runHealthScript(binary, scriptPath(kind), objects)) {
          expect(health.error).toBeUndefined();
          expect(["Healthy", "Progressing", "Degraded", "Suspended"]).toContain(health.status);
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe("ensureLuaHealth", () => {
  it("says how to get the runner when it is not built and cannot be", async () => {
    const saved = { cache: process.env.AEGIS_CACHE_DIR, go: process.env.GO };
    const cache = mkdtempSync(join(tmpdir(), "aegis-cache-"));
    process.env.AEGIS_CACHE_DIR = cache;
    process.env.GO = join(cache, "no-go-here");
    try {
      const error = await ensureLuaHealth().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlPlaneError);
      expect((error as ControlPlaneError).describe()).toContain("Lua health-check runner (hack/lua-health) is not built");
      expect((error as ControlPlaneError).describe()).toContain("npm run lua-health:build");
      expect(existsSync(join(cache, "logs"))).toBe(true);
    } finally {
      for (const [key, value] of [["AEGIS_CACHE_DIR", saved.cache], ["GO", saved.go]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
