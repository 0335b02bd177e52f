import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { childExecutionCheck, parentFacts, swarmChecks, swarmLimits } from "./spawn.ts";

describe("swarmLimits", () => {
  it("reads the limits, with the CRD defaults for what is absent", () => {
    expect(swarmLimits({ limits: { maxMembers: 4, maxDepth: 1, allowedAgents: ["a"] } })).toEqual({ maxMembers: 4, maxDepth: 1, allowedAgents: ["a"] });
    expect(swarmLimits({})).toEqual({ maxMembers: 10, maxDepth: 3, allowedAgents: [] });
  });

  it("never throws on anything", () => {
    fc.assert(fc.property(fc.anything(), (spec) => {
      const limits = swarmLimits(spec);
      expect(Number.isInteger(limits.maxMembers) && Number.isInteger(limits.maxDepth)).toBe(true);
    }));
  });
});

describe("parentFacts", () => {
  it("takes the agent from agentRef, else status.agent (workflow runs), and the depth from status", () => {
    expect(parentFacts({ metadata: { name: "run-1" }, spec: { agentRef: { name: "coder" } }, status: { depth: 1 } })).toEqual({ name: "run-1", agent: "coder", depth: 1 });
    expect(parentFacts({ metadata: { name: "wf-1" }, spec: { workflowRef: { name: "w" } }, status: { agent: "planner" } })).toEqual({ name: "wf-1", agent: "planner", depth: 0 });
  });
});

describe("childExecutionCheck", () => {
  const parent = { name: "run-1", agent: "coder", depth: 1 };

  it("makes the child one level deeper than its parent, with the swarm's limits and member count", () => {
    const check = childExecutionCheck("team", { agentRef: { name: "reviewer" } }, parent, {
      name: "crew", limits: { maxMembers: 3, maxDepth: 2, allowedAgents: ["tester"] }, members: 3,
    });
    expect(check?.field).toBe("spec.parentRef");
    expect(check?.request).toMatchObject({
      principal: { type: "Execution", id: "team/run-1" },
      action: "agent:spawn",
      resource: { type: "Agent", id: "team/reviewer" },
      context: { depth: 2, maxDepth: 2, maxMembers: 3, members: 4, agentAllowed: false },
    });
    expect(check?.detail).toBe("child of run-1 (Agent coder) running Agent reviewer at depth 2 of at most 2, member 4 of at most 3 of swarm crew, whose limits.allowedAgents leave out reviewer");
  });

  it("outside a swarm: at most 3 deep, alone, any Agent", () => {
    expect(childExecutionCheck("team", { agentRef: { name: "reviewer" } }, parent, undefined)?.request.context)
      .toEqual({ depth: 2, maxDepth: 3, maxMembers: 1, members: 1, agentAllowed: true });
  });

  it("has nothing to check for a child running a Workflow", () => {
    expect(childExecutionCheck("team", { workflowRef: { name: "w" } }, parent, undefined)).toBeUndefined();
  });
});

describe("swarmChecks", () => {
  it("checks each member at depth 0 and each allowed Agent at the deepest depth, naming the fields", () => {
    const checks = swarmChecks("team", "crew", {
      members: [{ name: "lead", agentRef: "planner" }, { name: "workers", agentRef: "coder", replicas: 3 }],
      limits: { maxMembers: 6, maxDepth: 2, allowedAgents: ["tester"] },
    });
    expect(checks.map((c) => c.field)).toEqual(["spec.members[0].agentRef", "spec.members[1].agentRef", "spec.limits.allowedAgents[0]"]);
    expect(checks.map((c) => c.request.context)).toEqual([
      { depth: 0, maxDepth: 2, maxMembers: 6, members: 4, agentAllowed: true },
      { depth: 0, maxDepth: 2, maxMembers: 6, members: 4, agentAllowed: true },
      { depth: 2, maxDepth: 2, maxMembers: 6, members: 6, agentAllowed: true },
    ]);
    expect(checks[0]?.request.principal).toEqual({ type: "Swarm", id: "team/crew" });
  });

  it("never throws on anything", () => {
    fc.assert(fc.property(fc.anything(), (spec) => {
      expect(Array.isArray(swarmChecks("team", "crew", spec))).toBe(true);
    }));
  });
});
