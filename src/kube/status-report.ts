/**
 * The "report" step every controller ends with: from the status a controller wants (its own
 * conditions and fields) and the status the object has, plan the server-side apply of the
 * controller's part only, and skip it when nothing would change (no spurious writes, so
 * resourceVersions stay put once converged). Events go out on condition transitions only.
 */
import { isDeepStrictEqual } from "node:util";
import { READY_CONDITION, type Condition } from "../api/index.ts";
import type { EventRecorder } from "../runtime/types.ts";
import { setCondition } from "./conditions.ts";
import type { KubeClient, KubeObject, Resource } from "./types.ts";

export interface ConditionInput {
  readonly type: string;
  readonly status: Condition["status"];
  readonly reason: string;
  readonly message: string;
}

/**
 * The part of the status a controller owns. `fields` lists every owned field, undefined when
 * it should be absent: server-side apply then removes what this field manager set before.
 */
export interface DesiredStatus {
  readonly conditions: readonly ConditionInput[];
  readonly fields: Readonly<Record<string, unknown>>;
  /** Reasons whose transitions earn no Event (brief, expected steps; each Event is an API write). */
  readonly quietReasons?: readonly string[];
}

export interface StatusPlan {
  /** What to apply: observedGeneration, the owned conditions, the owned fields that are set. */
  readonly status: Record<string, unknown>;
  /** False when the object already carries exactly this: then nothing is written. */
  readonly changed: boolean;
  /** Conditions whose status or reason changed to False, or Ready's: one Event each (de-duplicated by reason). */
  readonly transitions: readonly ConditionInput[];
}

/** Conditions as they are on the object; anything that is not condition-shaped is ignored. */
function currentConditions(status: unknown): Condition[] {
  const list = (status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is Condition => typeof c === "object" && c !== null && typeof (c as Condition).type === "string");
}

/** Pure: what this controller's status write would be, and whether it is needed at all. */
export function planStatus(current: unknown, desired: DesiredStatus, generation: number, now: Date): StatusPlan {
  const existing = currentConditions(current);
  let conditions = existing;
  let changed = false;
  const transitions: ConditionInput[] = [];
  for (const want of desired.conditions) {
    const before = existing.find((c) => c.type === want.type);
    const result = setCondition(conditions, want, generation, now);
    conditions = result.conditions;
    changed ||= result.changed;
    // A transition earns an Event when it is bad news, or when it is the summary (Ready).
    const transitioned = before?.status !== want.status || before.reason !== want.reason;
    const noteworthy = want.status === "False" || want.type === READY_CONDITION;
    const quiet = desired.quietReasons?.includes(want.reason) === true;
    if (transitioned && noteworthy && !quiet && !transitions.some((t) => t.reason === want.reason)) transitions.push(want);
  }
  const owned = new Set(desired.conditions.map((c) => c.type));
  const status: Record<string, unknown> = {
    observedGeneration: generation,
    conditions: conditions.filter((c) => owned.has(c.type)),
  };
  const old = (typeof current === "object" && current !== null ? current : {}) as Record<string, unknown>;
  changed ||= old.observedGeneration !== generation;
  for (const [field, value] of Object.entries(desired.fields)) {
    if (value !== undefined) status[field] = value;
    changed ||= !isDeepStrictEqual(old[field], value);
  }
  return { status, changed, transitions };
}

export interface StatusReporter {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly fieldManager: string;
}

/**
 * Applies the plan on `/status` under the controller's field manager (forced: these fields are
 * the controller's alone) and records one Event per transition. Returns whether it wrote.
 */
export async function reportStatus(
  reporter: StatusReporter,
  resource: Resource,
  obj: KubeObject & { apiVersion: string; kind: string },
  desired: DesiredStatus,
  now: Date,
): Promise<boolean> {
  const plan = planStatus(obj.status, desired, obj.metadata.generation ?? 0, now);
  if (!plan.changed) return false;
  const { name, namespace } = obj.metadata;
  const body = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace }, status: plan.status };
  await reporter.client.applyStatus(resource, body, { fieldManager: reporter.fieldManager, force: true });
  for (const t of plan.transitions) {
    await reporter.events.record(obj, t.status === "False" ? "Warning" : "Normal", t.reason, t.message);
  }
  return true;
}
