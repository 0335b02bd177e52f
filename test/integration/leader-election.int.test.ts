// Leader election against the real API server, in-process: release hands the lease over at once,
// a leader that cannot renew steps down BEFORE a standby can take over, and a leader whose lease
// was taken notices on its next renewal.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createKubeClient } from "../../src/kube/client.ts";
import { KubeApiError } from "../../src/kube/errors.ts";
import { LEASES } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import type { Lease } from "../../src/runtime/lease.ts";
import { LeaderElector } from "../../src/runtime/leader.ts";
import { createNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";

const LEASE = "test-leader";
const log = pino({ level: "silent" });

interface Candidate {
  readonly elector: LeaderElector;
  readonly startedAt: () => number | undefined;
  readonly stoppedAt: () => number | undefined;
}

function candidate(client: KubeClient, namespace: string, identity: string): Candidate {
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  const elector = new LeaderElector({ client, namespace, name: LEASE, identity, leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250, log });
  void elector.run({ onStartedLeading: () => (startedAt = Date.now()), onStoppedLeading: () => (stoppedAt = Date.now()) });
  return { elector, startedAt: () => startedAt, stoppedAt: () => stoppedAt };
}

/** A real client that counts its reads, so a test can wait until a standby has seen the Lease. */
function counting(client: KubeClient): { client: KubeClient; reads: () => number } {
  let reads = 0;
  const get: KubeClient["get"] = (...args) => {
    reads += 1;
    return client.get(...args);
  };
  return { client: { ...client, get, update: client.update.bind(client), create: client.create.bind(client) } as KubeClient, reads: () => reads };
}

/** Waits until the standby has read the Lease (and so decided to wait) `times` more times. */
const standbyRead = (reads: () => number, times = 2): Promise<void> => {
  const from = reads();
  return eventually(() => expect(reads()).toBeGreaterThanOrEqual(from + times), { timeoutMs: 5000, intervalMs: 10 });
};

/** A real client that can be cut off from the API server, as by a network partition. */
function partitionable(client: KubeClient): { client: KubeClient; cut: () => void } {
  let cut = false;
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    cut ? Promise.reject(new KubeApiError("Unreachable", 0, "partitioned by the test")) : fn(...args);
  return {
    client: { ...client, get: guard(client.get.bind(client)), update: guard(client.update.bind(client)), create: guard(client.create.bind(client)) } as KubeClient,
    cut: () => (cut = true),
  };
}

const started = (c: Candidate): Promise<number> => eventually(() => c.startedAt() ?? Promise.reject(new Error("not leading yet")), { timeoutMs: 15_000, intervalMs: 20 });

describe("LeaderElector", () => {
  it("hands the lease over at once on release", async () => {
    const client = createKubeClient(kubeConfig());
    const namespace = await createNamespace("elect-release");
    const a = candidate(client, namespace, "a");
    await started(a);
    const bClient = counting(client);
    const b = candidate(bClient.client, namespace, "b");
    await standbyRead(bClient.reads);
    expect(b.startedAt()).toBeUndefined();
    const releasedAt = Date.now();
    await a.elector.release();
    const bStarted = await started(b);
    expect(bStarted - releasedAt).toBeLessThan(1000); // one retry, not the 2 s lease
    expect(a.stoppedAt()).toBeUndefined(); // a release is not a loss
    expect((await client.get<Lease>(LEASES, namespace, LEASE)).spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    await b.elector.release();
  });

  it("a leader that cannot renew steps down before the standby takes over", async () => {
    const real = createKubeClient(kubeConfig());
    const namespace = await createNamespace("elect-partition");
    const partition = partitionable(real);
    const a = candidate(partition.client, namespace, "a");
    await started(a);
    const bClient = counting(real);
    const b = candidate(bClient.client, namespace, "b");
    await standbyRead(bClient.reads);
    const cutAt = Date.now();
    partition.cut();
    const bStarted = await started(b);
    const aStopped = a.stoppedAt();
    expect(aStopped).toBeDefined();
    expect(aStopped! - cutAt).toBeLessThanOrEqual(1500 + 100);
    expect(aStopped!).toBeLessThan(bStarted); // never two leaders
    await b.elector.release();
  });

  it("a leader whose lease was taken notices on its next renewal", async () => {
    const client = createKubeClient(kubeConfig());
    const namespace = await createNamespace("elect-stolen");
    const a = candidate(client, namespace, "a");
    await started(a);
    const lease = await client.get<Lease>(LEASES, namespace, LEASE);
    await client.update(LEASES, { ...lease, spec: { ...lease.spec, holderIdentity: "intruder" } });
    await eventually(() => expect(a.stoppedAt()).toBeDefined(), { timeoutMs: 2000, intervalMs: 20 });
    expect(a.elector.isLeader()).toBe(false);
    await a.elector.release(); // not the holder: leaves the intruder's lease alone
    expect((await client.get<Lease>(LEASES, namespace, LEASE)).spec?.holderIdentity).toBe("intruder");
  });
});
