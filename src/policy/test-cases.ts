// Table-driven policy tests (`aegis policy test <dir>`): the case format and how one case is
// decided. Pure: parsing text and deciding with a given authorize function.
import { parse } from "yaml";
import { z } from "zod";
import type { AgentSpec } from "../api/index.ts";
import { agentAdmissionChecks, evaluateAdmission, spawnCheck, type AdmissionCheck } from "./admission.ts";
import type { AuthorizationRequest, Decision } from "./authorize.ts";
import type { EntityJson } from "./cedar.ts";
import { toolCallRequest } from "./tool-request.ts";

const expectSchema = z.enum(["allow", "deny"]);
const uidText = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*::".*"$/s, 'an entity written Type::"id"');
const DEFAULT_NS = "default";

const toolCall = z.strictObject({
  namespace: z.string().default(DEFAULT_NS),
  execution: z.string().default("test-run"),
  agent: z.string().default("test-agent"),
  iteration: z.number().int().default(1),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

const agent = z.strictObject({
  namespace: z.string().default(DEFAULT_NS),
  name: z.string().default("test-agent"),
  resolvedImage: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});

const spawn = z.strictObject({
  namespace: z.string().default(DEFAULT_NS),
  parent: z.union([
    z.strictObject({ execution: z.string(), agent: z.string(), depth: z.number().int().optional() }),
    z.strictObject({ swarm: z.string() }),
    z.strictObject({ agent: z.string() }),
  ]),
  childAgent: z.string(),
  depth: z.number().int(),
  maxDepth: z.number().int(),
  maxMembers: z.number().int(),
  members: z.number().int().optional(),
  agentAllowed: z.boolean().optional(),
});

const request = z.strictObject({
  principal: uidText,
  action: z.string(),
  resource: uidText,
  context: z.record(z.string(), z.unknown()).default({}),
  entities: z.array(z.unknown()).default([]),
});

const testCase = z.strictObject({
  name: z.string(),
  expect: expectSchema,
  /** Admission: the fields expected to be denied (all of them, in any order). */
  deniedFields: z.array(z.string()).optional(),
  /** The policy ids expected among the reasons (e.g. the forbid that denied it). */
  policies: z.array(z.string()).optional(),
  toolCall: toolCall.optional(),
  agent: agent.optional(),
  spawn: spawn.optional(),
  request: request.optional(),
}).refine((c) => [c.toolCall, c.agent, c.spawn, c.request].filter((x) => x !== undefined).length === 1, {
  message: "each case needs exactly one of toolCall, agent, spawn, request",
});

const caseFile = z.strictObject({ cases: z.array(testCase).min(1) });

export type PolicyTestCase = z.infer<typeof testCase>;

export function parseCaseFile(text: string): { ok: true; cases: PolicyTestCase[] } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    return { ok: false, error: `YAML: ${(e as Error).message}` };
  }
  const parsed = caseFile.safeParse(data);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  return { ok: true, cases: parsed.data.cases };
}

function parseUid(text: string): { type: string; id: string } {
  const sep = text.indexOf("::");
  return { type: text.slice(0, sep), id: JSON.parse(text.slice(sep + 2)) as string };
}

export interface CaseOutcome {
  readonly actual: "allow" | "deny";
  readonly pass: boolean;
  /** Why it failed, or what decided it. */
  readonly detail: string;
}

type Decide = (request: AuthorizationRequest) => Decision;

export function runCase(c: PolicyTestCase, decide: Decide): CaseOutcome {
  const checks = checksOf(c);
  if ("error" in checks) return outcome(c, "deny", [], [], checks.error);
  const verdict = evaluateAdmission(checks, decide);
  const reasons = verdict.reasons;
  const actual = verdict.allowed ? "allow" : "deny";
  return outcome(c, actual, verdict.denials.map((d) => d.field), reasons,
    verdict.denials.map((d) => d.message).join("; ") || `allowed by ${reasons.join(", ")}`);
}

function checksOf(c: PolicyTestCase): AdmissionCheck[] | { error: string } {
  if (c.toolCall) {
    const built = toolCallRequest(c.toolCall);
    return built.ok ? [{ field: "toolCall", request: built.request }] : { error: `refused before Cedar: ${built.error}` };
  }
  if (c.agent) return agentAdmissionChecks({ ...c.agent, spec: c.agent.spec as unknown as AgentSpec });
  if (c.spawn) return [spawnCheck({ ...c.spawn, field: "spawn" })];
  const r = c.request!;
  return [{
    field: "request",
    request: {
      principal: parseUid(r.principal),
      action: r.action,
      resource: parseUid(r.resource),
      context: r.context as AuthorizationRequest["context"],
      entities: r.entities as EntityJson[],
    },
  }];
}

function outcome(c: PolicyTestCase, actual: "allow" | "deny", deniedFields: string[], reasons: string[], detail: string): CaseOutcome {
  const problems: string[] = [];
  if (actual !== c.expect) problems.push(`expected ${c.expect}, got ${actual}`);
  if (c.deniedFields && [...c.deniedFields].sort().join() !== [...deniedFields].sort().join()) {
    problems.push(`expected denied fields [${c.deniedFields.join(", ")}], got [${deniedFields.join(", ")}]`);
  }
  const missing = (c.policies ?? []).filter((p) => !reasons.includes(p));
  if (missing.length > 0) problems.push(`expected policies [${missing.join(", ")}] among the reasons [${[...new Set(reasons)].join(", ")}]`);
  return { actual, pass: problems.length === 0, detail: problems.length > 0 ? `${problems.join("; ")} — ${detail}` : detail };
}
