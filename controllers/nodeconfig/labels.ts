/**
 * Node labels from NodeConfig tags. Each NodeConfig applies its labels under a field manager of
 * its own, so server-side apply does the bookkeeping: a tag removed from the spec (or a node no
 * longer selected) loses its label, labels of others are untouched, and two NodeConfigs sharing
 * a tag co-own its label. What a NodeConfig owns now is read back from the Node's managedFields.
 */
import { createHash } from "node:crypto";
import type { V1ManagedFieldsEntry } from "@kubernetes/client-node";

/** The label a tag becomes on a Node: tag.aegis.dev/<tag>=true. */
export const TAG_LABEL_PREFIX = "tag.aegis.dev/";

/** The field manager of one NodeConfig's node labels (at most 128 characters, as the API requires). */
export function labelFieldManager(nodeConfigName: string): string {
  const name = `aegis-nodeconfig/${nodeConfigName}`;
  if (name.length <= 128) return name;
  const hash = createHash("sha256").update(nodeConfigName).digest("hex").slice(0, 10);
  return `${name.slice(0, 117)}-${hash}`;
}

export function tagLabels(tags: readonly string[]): Record<string, string> {
  return Object.fromEntries(tags.map((tag) => [`${TAG_LABEL_PREFIX}${tag}`, "true"]));
}

/** Label keys `manager` owns on a Node, from its managedFields (fieldsV1: f:metadata → f:labels). */
export function ownedLabelKeys(managedFields: readonly V1ManagedFieldsEntry[] | undefined, manager: string): string[] {
  const keys: string[] = [];
  for (const entry of managedFields ?? []) {
    if (entry.manager !== manager || entry.operation !== "Apply") continue;
    const labels = (entry.fieldsV1 as { "f:metadata"?: { "f:labels"?: Record<string, unknown> } } | undefined)?.["f:metadata"]?.["f:labels"];
    for (const field of Object.keys(labels ?? {})) {
      if (field.startsWith("f:")) keys.push(field.slice(2));
    }
  }
  return keys.sort();
}

export interface NodeLabelState {
  readonly name: string;
  /** Sent with the apply so a Node deleted meanwhile is not re-created by it (uid mismatch → Conflict). */
  readonly uid?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly managedFields?: readonly V1ManagedFieldsEntry[];
  readonly selected: boolean;
}

/** One apply of a NodeConfig's labels on a Node: `labels` is everything it owns there afterwards. */
export interface LabelApply {
  readonly node: string;
  readonly uid?: string;
  readonly labels: Record<string, string>;
}

/**
 * The applies needed: selected nodes must carry exactly the tag labels under our manager;
 * nodes we labelled that are no longer selected get an empty apply (which releases them).
 * Nodes already right are left alone, so a converged NodeConfig writes nothing.
 */
export function planLabels(nodes: readonly NodeLabelState[], tags: readonly string[], manager: string): LabelApply[] {
  const want = tagLabels(tags);
  const wantKeys = Object.keys(want).sort();
  const applies: LabelApply[] = [];
  for (const node of nodes) {
    const owned = ownedLabelKeys(node.managedFields, manager);
    if (!node.selected) {
      if (owned.length > 0) applies.push({ node: node.name, uid: node.uid, labels: {} });
      continue;
    }
    const present = wantKeys.every((key) => node.labels[key] === "true");
    const sameOwnership = owned.length === wantKeys.length && owned.every((key, i) => key === wantKeys[i]);
    if (!present || !sameOwnership) applies.push({ node: node.name, uid: node.uid, labels: want });
  }
  return applies;
}
