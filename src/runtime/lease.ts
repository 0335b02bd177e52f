/**
 * Pure leader-election decisions over a coordination.k8s.io/v1 Lease (client-go's
 * leaderelection, reduced to functions of values): whether to create, renew, acquire or wait,
 * and the Lease bodies to write. Expiry is measured on OUR clock from when we first saw the
 * current version of the Lease, never from the holder's renewTime, so clock skew between
 * replicas cannot make a standby take a lease early.
 */
import type { KubeObject } from "../kube/types.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** The version of the Lease we last saw change, and when (our clock, ms). */
export interface Observation {
  readonly resourceVersion: string;
  readonly at: number;
}

export type LeaseAction =
  | { readonly action: "create" }
  | { readonly action: "renew" }
  | { readonly action: "acquire"; readonly why: "released" | "expired" }
  | { readonly action: "wait"; readonly holder: string; readonly expiresAt: number };

/** Pure: the new observation after reading `lease` at `now`. */
export function observe(previous: Observation | undefined, lease: Lease, now: number): Observation {
  const resourceVersion = lease.metadata.resourceVersion ?? "";
  return previous?.resourceVersion === resourceVersion ? previous : { resourceVersion, at: now };
}

/** Pure: what a candidate named `identity` does with the Lease it just read (or its absence). */
export function decideLease(lease: Lease | undefined, observation: Observation | undefined, now: number, identity: string): LeaseAction {
  if (!lease) return { action: "create" };
  const holder = lease.spec?.holderIdentity ?? "";
  if (holder === identity) return { action: "renew" };
  if (holder === "") return { action: "acquire", why: "released" };
  const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
  const expiresAt = (observation?.at ?? now) + durationMs;
  if (now >= expiresAt) return { action: "acquire", why: "expired" };
  return { action: "wait", holder, expiresAt };
}

/** MicroTime as the API wants it: RFC 3339 with exactly six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

/** Whole seconds, at least one: the Lease holds seconds only. */
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Pure: the Lease to write for `action` (create/renew/acquire) by `identity` at `now`. */
export function leaseFor(
  action: "create" | "renew" | "acquire",
  current: Lease | undefined,
  target: { namespace: string; name: string },
  identity: string,
  now: number,
  leaseDurationMs: number,
): Lease {
  const spec = current?.spec ?? {};
  const taking = action !== "renew";
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: current ? { ...current.metadata } : { namespace: target.namespace, name: target.name },
    spec: {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: seconds(leaseDurationMs),
      acquireTime: taking ? microTime(now) : (spec.acquireTime ?? microTime(now)),
      renewTime: microTime(now),
      leaseTransitions: action === "acquire" ? (spec.leaseTransitions ?? 0) + 1 : (spec.leaseTransitions ?? 0),
    },
  };
}

/**
 * Pure: the Lease a leader writes when it steps down on purpose: no holder, so a standby takes it
 * on its next try instead of waiting out the lease duration.
 */
export function releasedLease(current: Lease, now: number): Lease {
  return {
    ...current,
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    spec: { ...current.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(now) },
  };
}
