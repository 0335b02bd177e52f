// The Cedar requests an Agent manifest makes at admission: one per declared tool, image, egress
// destination, volume and filesystem glob, plus its budgets. Each names the field it checks, so a
// denial can say which field and which policy. Pure: the webhook runs them with a PolicyStore.
import type { AgentSpec } from "../api/index.ts";
import { parseDuration } from "../validators/duration.ts";
import type { AuthorizationRequest, Decision } from "./authorize.ts";
import {
  agentEntities, agentUid, domainEntity, executionEntities, executionUid, imageEntity, pathEntities,
  swarmEntities, swarmUid, toolEntities, uid, volumeEntity, volumeUid, type Uid,
} from "./entities.ts";
import { DEFAULT_MOUNT_PATH } from "./tool-request.ts";

export interface AdmissionCheck {
  /** The manifest field the request is about, e.g. spec.tools[1]. */
  readonly field: string;
  readonly request: AuthorizationRequest;
  /** What the field stands for when it is not the resource itself, e.g. the image a language resolves to. */
  readonly detail?: string;
}

export interface AgentRef {
  readonly namespace: string;
  readonly name: string;
  readonly spec: AgentSpec;
  /** The image language+version resolves to; without it only spec.runtime.image is checked. */
  readonly resolvedImage?: string;
}

// The schema defaults (src/api/schema/agent.ts), applied when a field is absent.
const DEFAULTS = { maxIterations: 5, timeout: "1800s", iterationTimeout: "600s", llmTimeout: "300s" };
const DEFAULT_GLOB = `${DEFAULT_MOUNT_PATH}/**`;

export function agentAdmissionChecks(agent: AgentRef): AdmissionCheck[] {
  const { namespace: ns, name, spec } = agent;
  const principal = agentUid(ns, name);
  const base = agentEntities(ns, name);
  const check = (field: string, action: string, resource: Uid, entities: AuthorizationRequest["entities"], context = {}): AdmissionCheck =>
    ({ field, request: { principal, action, resource, context, entities: [...base, ...(entities ?? [])] } });
  const checks: AdmissionCheck[] = [];

  (spec.tools ?? []).forEach((tool, i) =>
    checks.push(check(`spec.tools[${i}]`, "agent:declareTool", uid("Tool", tool), toolEntities(tool))));

  const image = spec.runtime.image ?? agent.resolvedImage;
  if (spec.runtime.image !== undefined) {
    checks.push(check("spec.runtime.image", "agent:useImage", uid("Image", spec.runtime.image), [imageEntity(spec.runtime.image)]));
  } else if (image !== undefined) {
    // The denial names the field the author wrote (language), and the image it stands for.
    const resolved = check("spec.runtime.language", "agent:useImage", uid("Image", image), [imageEntity(image)]);
    checks.push({ ...resolved, detail: `${spec.runtime.language ?? ""} ${spec.runtime.version ?? ""} runs image ${image}` });
  }

  // Allow mode reaches everything not denylisted: it is checked as egress to Domain::"*".
  const network = spec.security?.network;
  if ((network?.mode ?? "Allow") === "Deny") {
    (network?.allowlist ?? []).forEach((d, i) =>
      checks.push(check(`spec.security.network.allowlist[${i}]`, "agent:egress", uid("Domain", d), [domainEntity(d)], { mode: "Deny" })));
  } else {
    checks.push(check("spec.security.network.mode", "agent:egress", uid("Domain", "*"), [domainEntity("*")], { mode: "Allow" }));
  }

  (spec.volumes ?? []).forEach((v, i) =>
    checks.push(check(`spec.volumes[${i}]`, "agent:mountVolume", volumeUid(ns, name, v.name), [volumeEntity(ns, name, v)])));

  const fsSpec = spec.security?.filesystem;
  const globs = (mode: "read" | "write", list: readonly string[] | undefined, field: string) =>
    (list ?? [DEFAULT_GLOB]).forEach((g, i) =>
      checks.push(check(list ? `${field}[${i}]` : "spec.security.filesystem", "agent:accessPath", uid("Path", g), pathEntities(g), { mode })));
  globs("read", fsSpec?.read, "spec.security.filesystem.read");
  if (!fsSpec?.readOnly) globs("write", fsSpec?.write, "spec.security.filesystem.write");

  const exec = spec.execution;
  checks.push(check("spec.execution", "agent:budget", principal, [], {
    maxIterations: exec?.maxIterations ?? DEFAULTS.maxIterations,
    timeoutSeconds: seconds(exec?.timeout ?? DEFAULTS.timeout),
    iterationTimeoutSeconds: seconds(exec?.iterationTimeout ?? DEFAULTS.iterationTimeout),
    llmTimeoutSeconds: seconds(exec?.llmTimeout ?? DEFAULTS.llmTimeout),
  }));
  return checks;
}

/** Whole seconds, rounded up; an unparseable duration (the CRD rejects those) counts as huge. */
function seconds(text: string): number {
  const ms = parseDuration(text);
  return ms === undefined ? Number.MAX_SAFE_INTEGER : Math.ceil(ms / 1000);
}

export interface SpawnCheck {
  readonly namespace: string;
  /** The parent: an Execution (run-time spawn), a Swarm (its members), or an Agent. */
  readonly parent:
    | { readonly execution: string; readonly agent: string; readonly depth?: number }
    | { readonly swarm: string }
    | { readonly agent: string };
  /** The Agent the child runs. */
  readonly childAgent: string;
  readonly depth: number;
  readonly maxDepth: number;
  readonly maxMembers: number;
  /** The swarm's Executions counting the child; default 1 (the child alone). */
  readonly members?: number;
  /** Whether the swarm's limits.allowedAgents allow the child's Agent; default true. */
  readonly agentAllowed?: boolean;
  readonly field: string;
  readonly detail?: string;
}

function parentOf(s: SpawnCheck): { principal: Uid; entities: AuthorizationRequest["entities"] } {
  const p = s.parent;
  if ("execution" in p) return { principal: executionUid(s.namespace, p.execution), entities: executionEntities(s.namespace, p.execution, p.agent, p.depth ?? 0) };
  if ("swarm" in p) return { principal: swarmUid(s.namespace, p.swarm), entities: swarmEntities(s.namespace, p.swarm) };
  return { principal: agentUid(s.namespace, p.agent), entities: agentEntities(s.namespace, p.agent) };
}

export function spawnCheck(s: SpawnCheck): AdmissionCheck {
  const { principal, entities } = parentOf(s);
  return {
    field: s.field,
    request: {
      principal,
      action: "agent:spawn",
      resource: agentUid(s.namespace, s.childAgent),
      context: {
        depth: s.depth, maxDepth: s.maxDepth, maxMembers: s.maxMembers, members: s.members ?? 1, agentAllowed: s.agentAllowed ?? true,
      },
      entities: [...(entities ?? []), ...agentEntities(s.namespace, s.childAgent)],
    },
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
  };
}

export interface AdmissionDenial {
  readonly field: string;
  /** "denied by policy X" or "no policy permits it", plus Cedar's errors if any. */
  readonly message: string;
  readonly policies: readonly string[];
}

/** Runs the checks; every denied one becomes a denial naming its field and policies. */
export function evaluateAdmission(
  checks: readonly AdmissionCheck[],
  decide: (request: AuthorizationRequest) => Decision,
): { allowed: boolean; denials: AdmissionDenial[]; reasons: string[]; revision: string | undefined } {
  const denials: AdmissionDenial[] = [];
  const reasons = new Set<string>();
  let revision: string | undefined;
  for (const c of checks) {
    const d = decide(c.request);
    revision = d.revision;
    d.reasons.forEach((r) => reasons.add(r));
    if (d.decision === "allow") continue;
    const why = d.reasons.length > 0 ? `denied by policy ${d.reasons.join(", ")}` : "no policy permits it";
    const errors = d.errors.length > 0 ? ` (${d.errors.join("; ")})` : "";
    const detail = c.detail === undefined ? "" : ` (${c.detail})`;
    denials.push({ field: c.field, message: `${c.field}: ${why}${errors}${detail}`, policies: d.reasons });
  }
  return { allowed: denials.length === 0, denials, reasons: [...reasons], revision };
}
