/**
 * The REST resources the operator reads and writes: the six aegis.dev kinds and the core ones.
 * One constant per resource, so no code spells a plural or a group twice.
 */
import { GROUP, RESOURCES, VERSION, type Kind } from "../api/index.ts";
import type { Resource } from "./types.ts";

const aegis = (kind: Kind): Resource => ({ group: GROUP, version: VERSION, plural: RESOURCES[kind].plural, kind, namespaced: RESOURCES[kind].namespaced });

export const AGENTS = aegis("Agent");
export const EXECUTIONS = aegis("Execution");
export const WORKFLOWS = aegis("Workflow");
export const SWARMS = aegis("Swarm");
export const VOLUMES = aegis("Volume");
export const NODECONFIGS = aegis("NodeConfig");

/** The aegis.dev resources by kind. */
export const AEGIS_RESOURCES: Readonly<Record<Kind, Resource>> = {
  Agent: AGENTS, Execution: EXECUTIONS, Workflow: WORKFLOWS, Swarm: SWARMS, Volume: VOLUMES, NodeConfig: NODECONFIGS,
};

export const PODS: Resource = { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true };
export const NODES: Resource = { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false };
export const CONFIGMAPS: Resource = { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true };
export const SECRETS: Resource = { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true };
export const NAMESPACES: Resource = { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false };
/** events.k8s.io/v1, not core v1 Events: the API the recorder writes (reportingController, note, regarding). */
export const EVENTS: Resource = { group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true };
export const SERVICEACCOUNTS: Resource = { group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true };
export const ROLES: Resource = { group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", kind: "Role", namespaced: true };
export const ROLEBINDINGS: Resource = { group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", kind: "RoleBinding", namespaced: true };
export const LEASES: Resource = { group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true };

/** "v1" for the core group, "group/version" otherwise. */
export const apiVersionOf = (res: Resource): string => (res.group === "" ? res.version : `${res.group}/${res.version}`);

/** A stable identity of a resource (informer factory key, log field): "plural.group/version". */
export const resourceId = (res: Resource): string => `${res.plural}${res.group === "" ? "" : `.${res.group}`}/${res.version}`;
