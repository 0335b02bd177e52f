// The agent:spawn requests of spawned Executions and of Swarms, from the objects as stored (the
// CRD schemas guarantee their shapes; anything else reads as absent). Pure: the webhook looks the
// parent and the swarm up and passes them in.
import { MAX_SWARM_DEPTH } from "../api/schema/swarm.ts";
import type { AdmissionCheck } from "./admission.ts";
import { spawnCheck } from "./admission.ts";

/** The CRD defaults of Swarm spec.limits. */
export const SWARM_LIMIT_DEFAULTS = { maxMembers: 10, maxDepth: MAX_SWARM_DEPTH } as const;

export interface SwarmLimits {
  readonly maxMembers: number;
  readonly maxDepth: number;
  /** Empty: any Agent of the namespace. */
  readonly allowedAgents: readonly string[];
}

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
const int = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isInteger(v) ? v : fallback);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

export function swarmLimits(swarmSpec: unknown): SwarmLimits {
  const limits = record(record(swarmSpec).limits);
  return {
    maxMembers: int(limits.maxMembers, SWARM_LIMIT_DEFAULTS.maxMembers),
    maxDepth: int(limits.maxDepth, SWARM_LIMIT_DEFAULTS.maxDepth),
    allowedAgents: strings(limits.allowedAgents),
  };
}

/** What a child Execution's spawn check needs of its parent. */
export interface ParentFacts {
  readonly name: string;
  /** spec.agentRef, or status.agent for a workflow run. */
  readonly agent: string;
  readonly depth: number;
}

export function parentFacts(parent: { metadata: { name?: string | undefined }; spec?: unknown; status?: unknown }): ParentFacts {
  const spec = record(parent.spec);
  const status = record(parent.status);
  return {
    name: parent.metadata.name ?? "",
    agent: text(record(spec.agentRef).name) ?? text(status.agent) ?? "",
    depth: int(status.depth, 0),
  };
}

export interface SwarmFacts {
  readonly name: string;
  readonly limits: SwarmLimits;
  /** Its Executions that exist now (the child not counted). */
  readonly members: number;
}

/** The child Execution's agent:spawn request (field spec.parentRef), or undefined without an agentRef. */
export function childExecutionCheck(namespace: string, childSpec: unknown, parent: ParentFacts, swarm: SwarmFacts | undefined): AdmissionCheck | undefined {
  const childAgent = text(record(record(childSpec).agentRef).name);
  if (childAgent === undefined) return undefined;
  const depth = parent.depth + 1;
  const limits = swarm?.limits ?? { maxMembers: 1, maxDepth: MAX_SWARM_DEPTH, allowedAgents: [] };
  const members = swarm === undefined ? 1 : swarm.members + 1;
  const agentAllowed = limits.allowedAgents.length === 0 || limits.allowedAgents.includes(childAgent);
  const within = swarm === undefined ? "" : `, member ${members} of at most ${limits.maxMembers} of swarm ${swarm.name}${agentAllowed ? "" : `, whose limits.allowedAgents leave out ${childAgent}`}`;
  return spawnCheck({
    namespace,
    parent: { execution: parent.name, agent: parent.agent, depth: parent.depth },
    childAgent,
    depth,
    maxDepth: limits.maxDepth,
    maxMembers: limits.maxMembers,
    members,
    agentAllowed,
    field: "spec.parentRef",
    detail: `child of ${parent.name} (Agent ${parent.agent || "unknown"}) running Agent ${childAgent} at depth ${depth} of at most ${limits.maxDepth}${within}`,
  });
}

/**
 * A Swarm's requests: each member (depth 0, the swarm as principal, members = all replicas) and
 * each Agent limits.allowedAgents lets members spawn (at the deepest depth the limits allow).
 */
export function swarmChecks(namespace: string, name: string, swarmSpec: unknown): AdmissionCheck[] {
  const limits = swarmLimits(swarmSpec);
  const memberList = Array.isArray(record(swarmSpec).members) ? (record(swarmSpec).members as unknown[]).map(record) : [];
  const total = memberList.reduce((n, m) => n + int(m.replicas, 1), 0);
  const base = { namespace, parent: { swarm: name }, maxDepth: limits.maxDepth, maxMembers: limits.maxMembers };
  const checks: AdmissionCheck[] = [];
  memberList.forEach((m, i) => {
    const agent = text(m.agentRef);
    if (agent === undefined) return;
    checks.push(spawnCheck({
      ...base, childAgent: agent, depth: 0, members: total, field: `spec.members[${i}].agentRef`,
      detail: `member ${text(m.name) ?? i} runs Agent ${agent}; ${total} member Executions of at most ${limits.maxMembers}`,
    }));
  });
  limits.allowedAgents.forEach((agent, i) => checks.push(spawnCheck({
    ...base, childAgent: agent, depth: limits.maxDepth, members: limits.maxMembers, field: `spec.limits.allowedAgents[${i}]`,
    detail: `members may spawn Agent ${agent} down to depth ${limits.maxDepth}, up to ${limits.maxMembers} members`,
  })));
  return checks;
}
