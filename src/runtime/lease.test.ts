import { describe, expect, it } from "vitest";
import { decideLease, leaseFor, microTime, observe, releasedLease, type Lease, type Observation } from "./lease.ts";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const lease = (holder: string | undefined, rv = "1", durationSeconds = 15): Lease => ({
  metadata: { name: "l", namespace: "ns", resourceVersion: rv },
  spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, leaseTransitions: 2, acquireTime: microTime(T0 - 60_000), renewTime: microTime(T0) },
});
const seen = (rv: string, at: number): Observation => ({ resourceVersion: rv, at });

describe("decideLease", () => {
  it.each<{ reason: string; lease: Lease | undefined; observed: Observation | undefined; now: number; want: Record<string, unknown> }>([
    { reason: "no lease: create it", lease: undefined, observed: undefined, now: T0, want: { action: "create" } },
    { reason: "our own lease: renew it", lease: lease("me"), observed: seen("1", T0), now: T0 + 60_000, want: { action: "renew" } },
    { reason: "a released lease (no holder): take it at once", lease: lease(""), observed: seen("1", T0), now: T0, want: { action: "acquire", why: "released" } },
    { reason: "a lease without holder field: take it", lease: lease(undefined), observed: seen("1", T0), now: T0, want: { action: "acquire", why: "released" } },
    { reason: "another holder, just seen: wait out the duration", lease: lease("other"), observed: seen("1", T0), now: T0 + 14_999, want: { action: "wait", holder: "other", expiresAt: T0 + 15_000 } },
    { reason: "another holder, unchanged for the whole duration: take it", lease: lease("other"), observed: seen("1", T0), now: T0 + 15_000, want: { action: "acquire", why: "expired" } },
    { reason: "a first sight never counts as expired", lease: lease("other"), observed: undefined, now: T0, want: { action: "wait", expiresAt: T0 + 15_000 } },
    { reason: "the lease's own duration counts, not ours", lease: lease("other", "1", 4), observed: seen("1", T0), now: T0 + 4_000, want: { action: "acquire", why: "expired" } },
  ])("$reason", ({ lease: l, observed, now, want }) => {
    expect(decideLease(l, observed, now, "me")).toMatchObject(want);
  });

  it("measures expiry from when we saw the version change, not from the holder's renewTime (clock skew)", () => {
    const skewed: Lease = { ...lease("other", "7"), spec: { ...lease("other").spec, renewTime: microTime(T0 - 3_600_000) } };
    const observation = observe(seen("6", T0 - 60_000), skewed, T0);
    expect(observation).toEqual(seen("7", T0));
    expect(decideLease(skewed, observation, T0 + 1000, "me")).toMatchObject({ action: "wait" });
  });
});

describe("observe", () => {
  it("keeps the first time a version was seen", () => {
    const first = observe(undefined, lease("x", "5"), T0);
    expect(observe(first, lease("x", "5"), T0 + 10_000)).toBe(first);
    expect(observe(first, lease("x", "6"), T0 + 10_000)).toEqual(seen("6", T0 + 10_000));
  });
});

describe("lease bodies", () => {
  const target = { namespace: "ns", name: "l" };

  it("creates with us as holder, whole seconds and microsecond times", () => {
    expect(leaseFor("create", undefined, target, "me", T0, 4_000)).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { namespace: "ns", name: "l" },
      spec: { holderIdentity: "me", leaseDurationSeconds: 4, acquireTime: "2026-11-21T12:00:00.000000Z", renewTime: "2026-11-21T12:00:00.000000Z", leaseTransitions: 0 },
    });
  });

  it("renews keeping acquireTime, transitions and the resourceVersion (optimistic concurrency)", () => {
    const body = leaseFor("renew", lease("me", "9"), target, "me", T0 + 2_500, 15_000);
    expect(body.metadata.resourceVersion).toBe("9");
    expect(body.spec).toMatchObject({ holderIdentity: "me", acquireTime: microTime(T0 - 60_000), renewTime: microTime(T0 + 2_500), leaseTransitions: 2 });
  });

  it("acquires counting one more transition", () => {
    expect(leaseFor("acquire", lease("other", "9"), target, "me", T0, 500).spec).toMatchObject({ holderIdentity: "me", acquireTime: microTime(T0), leaseTransitions: 3, leaseDurationSeconds: 1 });
  });

  it("releases with no holder and a one-second duration", () => {
    expect(releasedLease(lease("me", "9"), T0).spec).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(T0) });
  });
});
