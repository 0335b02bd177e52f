// Swarm: a coordinated group of Executions (spec §4): children spawned under limits, messages,
// locks (Leases) and cascade cancellation.
import { array, boolean, enumOf, integer, jsonObject, object, rule, string, timestamp } from "./builders.ts";
import { LABEL_PATTERN, duration, localRef, objectName, statusOf } from "./common.ts";
import { AGE_COLUMN, type KindDefinition } from "./kind.ts";

export const SWARM_PHASES = ["Pending", "Active", "Dissolving", "Dissolved"] as const;
export const MAX_SWARM_DEPTH = 3;

const member = object("An Execution started when the swarm starts.", {
  name: string("Member name, unique in the swarm; the Execution is named <swarm>-<name>.", { pattern: LABEL_PATTERN, maxLength: 40 }),
  agentRef: objectName("Name of the Agent the member runs."),
  input: jsonObject("Input of the member's Execution."),
  replicas: integer("How many Executions of this member to start. Default 1.", { minimum: 1, maximum: 100, default: 1 }),
}, { required: ["name", "agentRef"] });

export const swarmKind: KindDefinition = {
  kind: "Swarm",
  plural: "swarms",
  singular: "swarm",
  shortNames: ["sw"],
  scope: "Namespaced",
  description:
    "Swarm coordinates a group of Executions: initial members, children spawned by members at run time within limits, messages between members, exclusive locks on shared resources (backed by Leases), and cascade cancellation: cancelling the parent or the swarm cancels every member.",
  spec: object("Membership, limits and coordination.", {
    parentRef: localRef("The Execution that leads the swarm; cancelling it dissolves the swarm."),
    members: array("Executions started with the swarm.", member, 32, { listType: "map", mapKeys: ["name"] }),
    limits: object("Bounds on spawning.", {
      maxMembers: integer("Most member Executions in total, initial and spawned, 1–1000. Default 10.", { minimum: 1, maximum: 1000, default: 10 }),
      maxConcurrent: integer("Most members running at once. Default 5.", { minimum: 1, maximum: 1000, default: 5 }),
      maxDepth: integer(`Deepest spawn nesting, 1–${MAX_SWARM_DEPTH}. Default ${MAX_SWARM_DEPTH}.`, {
        minimum: 1, maximum: MAX_SWARM_DEPTH, default: MAX_SWARM_DEPTH,
      }),
      allowedAgents: array("Agents members may spawn; empty allows any Agent in the namespace.",
        objectName("An Agent name."), 32, { listType: "set" }),
    }, {
      rules: [rule("self.maxConcurrent <= self.maxMembers", "limits.maxConcurrent cannot exceed limits.maxMembers", ".maxConcurrent")],
    }),
    locks: object("Exclusive locks members take on named resources; a held lock fails the request immediately (no waiting).", {
      defaultTTL: duration("Lifetime of a lock not released or renewed. Default 5m.", { default: "5m" }),
      maxLocks: integer("Most locks held at once. Default 64.", { minimum: 0, maximum: 1024, default: 64 }),
    }),
    messaging: object("Messages between members (unicast and broadcast).", {
      enabled: boolean("If false, members cannot message each other. Default true.", { default: true }),
      maxMessageBytes: integer("Largest message payload in bytes. Default 65536.", { minimum: 1, maximum: 1048576, default: 65536 }),
    }),
    dissolveWhen: enumOf("When the swarm dissolves on its own: AllMembersComplete (default) or ParentComplete (also cancels running members).",
      ["AllMembersComplete", "ParentComplete"], { default: "AllMembersComplete" }),
    cancel: boolean("Set to true to dissolve the swarm and cancel every member. Cannot be undone.", {
      default: false,
      rules: [rule("self || !oldSelf", "cancel cannot be set back to false once true")],
    }),
  }, {
    rules: [
      rule("!has(self.members) || !has(self.limits) || self.members.map(m, m.replicas).sum() <= self.limits.maxMembers",
        "the members' replicas add up to more than limits.maxMembers", ".members"),
      rule("has(self.members) || has(self.parentRef)", "a swarm needs members or a parentRef that spawns them", ".members", "FieldValueRequired"),
    ],
  }),
  status: statusOf("Observed state of the swarm. Conditions: Ready (members started), Dissolved.", {
    phase: enumOf("Pending, Active, Dissolving or Dissolved.", SWARM_PHASES),
    memberCount: integer("Member Executions that exist.", { minimum: 0 }),
    running: integer("Members running now.", { minimum: 0 }),
    succeeded: integer("Members that succeeded.", { minimum: 0 }),
    failed: integer("Members that failed or were cancelled.", { minimum: 0 }),
    locksHeld: integer("Locks held now.", { minimum: 0 }),
    members: array("The most recent members (at most 100); the full list is by label aegis.dev/swarm=<name>.", object("A member.", {
      name: objectName("The member Execution."),
      agent: string("Its Agent.", { maxLength: 253 }),
      phase: string("Its Execution phase.", { maxLength: 32 }),
      depth: integer("Spawn depth, 0 for initial members.", { minimum: 0, maximum: MAX_SWARM_DEPTH }),
    }, { required: ["name"] }), 100, { listType: "map", mapKeys: ["name"] }),
    dissolveReason: enumOf("Why it dissolved: ParentCancelled, Manual, AllChildrenComplete or SecurityViolation.",
      ["ParentCancelled", "Manual", "AllChildrenComplete", "SecurityViolation"]),
    dissolvedAt: timestamp("When it dissolved."),
  }),
  printerColumns: [
    { name: "Parent", type: "string", jsonPath: ".spec.parentRef.name", description: "Leading Execution." },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Lifecycle phase." },
    { name: "Members", type: "integer", jsonPath: ".status.memberCount", description: "Member Executions." },
    { name: "Running", type: "integer", jsonPath: ".status.running", description: "Members running now." },
    AGE_COLUMN,
  ],
};
