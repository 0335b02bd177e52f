// Two operator processes on one Lease, under load: the standby takes over within the lease
// duration when the leader is killed (-9) or stepped down (SIGTERM), and no ConfigMap is ever
// reconciled by both at once (per-object reconcile logs, src/runtime/reconcile-log-controller.ts).
import { describe, expect, it } from "vitest";
import { createKubeClient } from "../../src/kube/client.ts";
import { CONFIGMAPS, LEASES } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { RECONCILE_LOG_LABEL } from "../../src/runtime/reconcile-log-controller.ts";
import { createNamespace, eventually, kubeConfig, kubeconfigPath } from "../helpers/cluster.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";
import { overlaps, readReconcileLogs, type Interval } from "../helpers/reconcile-log.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const LEASE_MS = 4000;
const RETRY_MS = 500;
const OBJECTS = 200;

const tempDir = tempDirs();
const operator = operatorProcesses();

function start(identity: string, namespace: string, logDir: string): OperatorProcess {
  return operator(identity, [
    "--kubeconfig", kubeconfigPath(), "--namespace", namespace,
    "--lease-duration", `${LEASE_MS}ms`, "--renew-deadline", "3s", "--retry-period", `${RETRY_MS}ms`,
    "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
    "--workers", "4", "--controllers", "reconcile-log", "--reconcile-log-dir", logDir,
  ]);
}

async function createObjects(client: KubeClient, namespace: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `cm-${i}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(names.slice(i, i + 25).map((name) =>
      client.create(CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels: { [RECONCILE_LOG_LABEL]: "true" } }, data: { n: "0" } })));
  }
  return names;
}

/** Keeps `concurrency` writers patching random objects until stopped; resolves with the count. */
function load(client: KubeClient, namespace: string, names: readonly string[], concurrency = 6): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const writer = async (): Promise<void> => {
    while (running) {
      const name = names[Math.floor(Math.random() * names.length)]!;
      await client.jsonPatch(CONFIGMAPS, namespace, name, [{ op: "replace", path: "/data/n", value: String(++writes) }]).catch(() => {});
    }
  };
  const writers = Array.from({ length: concurrency }, writer);
  return { stop: async () => ((running = false), await Promise.all(writers), writes) };
}

const startsBy = (intervals: readonly Interval[], identity: string): number[] => intervals.filter((i) => i.identity === identity).map((i) => i.start);

async function get(address: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${address}${path}`);
  return { status: res.status, body: await res.text() };
}

describe("two managers, one lease", () => {
  it("kill -9 of the leader under load: the standby takes over within the lease duration, never overlapping", { timeout: 180_000 }, async () => {
    const client = createKubeClient(kubeConfig());
    const namespace = await createNamespace("failover-kill");
    const logDir = await tempDir("reconcile-log");
    const a = start("op-a", namespace, logDir);
    await a.waitFor("Became leader, starting controllers");
    const b = start("op-b", namespace, logDir);
    await b.waitFor("Informer caches synced");
    expect(b.lines.some((l) => l.msg === "Became leader, starting controllers")).toBe(false);

    const names = await createObjects(client, namespace, OBJECTS);
    const writes = load(client, namespace, names);
    await eventually(async () => expect(new Set((await readReconcileLogs(logDir)).intervals.map((i) => i.object)).size).toBe(OBJECTS), { timeoutMs: 60_000, intervalMs: 250 });
    // Kill the leader while it is busy: after it has reconciled another 100 updates under load.
    const busyFrom = startsBy((await readReconcileLogs(logDir)).intervals, "op-a").length;
    await eventually(async () => expect(startsBy((await readReconcileLogs(logDir)).intervals, "op-a").length).toBeGreaterThan(busyFrom + 100), {
      timeoutMs: 30_000, intervalMs: 100,
    });

    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    await a.exited;
    await b.waitFor("Became leader, starting controllers", 20_000);
    const firstByB = await eventually(async () => {
      const starts = startsBy((await readReconcileLogs(logDir)).intervals, "op-b");
      if (starts.length === 0) throw new Error("op-b has not reconciled yet");
      return Math.min(...starts);
    }, { timeoutMs: 20_000, intervalMs: 50 });
    const takeoverMs = firstByB - killedAt;
    process.stderr.write(`failover after kill -9: first reconcile by the standby ${takeoverMs.toFixed(0)} ms after the kill (lease ${LEASE_MS} ms, retry ${RETRY_MS} ms)\n`);
    // The standby counts the lease duration from when IT saw the last renewal (at most one
    // jittered retry after the write: our clock, never the holder's, so clock skew cannot make
    // it early) and tries again the moment that runs out. The kill came after the last renewal,
    // so the takeover is within the lease duration plus at most one retry period, plus a margin
    // for a busy machine.
    expect(takeoverMs).toBeLessThan(LEASE_MS + RETRY_MS * 1.2 + 500);

    // The new leader keeps up with the load for a while before the writes stop.
    await eventually(async () => expect(startsBy((await readReconcileLogs(logDir)).intervals, "op-b").length).toBeGreaterThan(200), {
      timeoutMs: 30_000, intervalMs: 100,
    });
    const total = await writes.stop();
    // Every object's last write is reconciled by the new leader.
    await eventually(async () => {
      const { intervals } = await readReconcileLogs(logDir);
      const last = new Map<string, number>();
      for (const i of intervals) if (i.identity === "op-b") last.set(i.object, Math.max(last.get(i.object) ?? 0, i.start));
      expect(last.size).toBe(OBJECTS);
    }, { timeoutMs: 30_000, intervalMs: 250 });
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);

    const logs = await readReconcileLogs(logDir);
    // The killed leader's unfinished reconciles ended when it died.
    const intervals = logs.intervals.map((i) => (i.identity === "op-a" && i.end === Infinity ? { ...i, end: killedAt } : i));
    expect(logs.problems).toEqual([]);
    expect(intervals.filter((i) => i.end === Infinity)).toEqual([]);
    expect(startsBy(intervals, "op-a").every((t) => t < killedAt)).toBe(true);
    const byObject = Map.groupBy(intervals, (i) => i.object);
    expect([...byObject.values()].flatMap((list) => overlaps(list))).toEqual([]);
    process.stderr.write(`failover after kill -9: ${intervals.length} reconciles of ${OBJECTS} objects, ${total} writes, no overlap\n`);
  });

  it("SIGTERM drains and releases the lease: the standby takes over at once; probes and metrics answer", { timeout: 120_000 }, async () => {
    const client = createKubeClient(kubeConfig());
    const namespace = await createNamespace("failover-term");
    const logDir = await tempDir("reconcile-log");
    const c = start("op-c", namespace, logDir);
    await c.waitFor("Became leader, starting controllers");
    const d = start("op-d", namespace, logDir);
    await d.waitFor("Informer caches synced");
    const names = await createObjects(client, namespace, 50);
    const writes = load(client, namespace, names, 3);
    await eventually(async () => expect((await readReconcileLogs(logDir)).intervals.length).toBeGreaterThanOrEqual(50), { timeoutMs: 30_000, intervalMs: 200 });

    const [cHealth, cMetrics, dHealth] = await Promise.all([c.address("health"), c.address("metrics"), d.address("health")]);
    expect(await get(cHealth, "/healthz")).toEqual({ status: 200, body: "ok\n" });
    expect(await get(cHealth, "/readyz")).toEqual({ status: 200, body: "ok (leader)\n" });
    expect(await get(dHealth, "/readyz")).toEqual({ status: 200, body: "ok (standby)\n" });
    expect((await get(cHealth, "/nope")).status).toBe(404);
    const metrics = (await get(cMetrics, "/metrics")).body;
    expect(metrics).toMatch(/controller_runtime_reconcile_total\{controller="reconcile-log",result="success"\} [1-9]/);
    expect(metrics).toContain('leader_election_master_status{name="aegis-operator-leader"} 1');
    for (const name of ["controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds_bucket", "workqueue_depth", "workqueue_adds_total", "workqueue_queue_duration_seconds_bucket", "workqueue_work_duration_seconds_bucket", "workqueue_retries_total", "controller_runtime_active_workers"]) {
      expect(metrics).toContain(name);
    }

    c.child.kill("SIGTERM");
    const termAt = Date.now();
    expect(await c.exited).toBe(0);
    expect(c.lines.map((l) => l.msg)).toContain("Released leader lease");
    await d.waitFor("Became leader, starting controllers", 10_000);
    const tookOver = Date.parse(String(d.lines.find((l) => l.msg === "Became leader, starting controllers")!.time));
    process.stderr.write(`failover after SIGTERM: standby leads ${tookOver - termAt} ms after the signal (lease ${LEASE_MS} ms)\n`);
    expect(tookOver - termAt).toBeLessThan(LEASE_MS / 2);
    const lease = await client.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, namespace, "aegis-operator-leader");
    expect(lease.spec?.holderIdentity).toBe("op-d");
    await eventually(async () => expect(startsBy((await readReconcileLogs(logDir)).intervals, "op-d").length).toBeGreaterThan(0), { timeoutMs: 10_000 });

    await writes.stop();
    d.child.kill("SIGTERM");
    expect(await d.exited).toBe(0);
    const logs = await readReconcileLogs(logDir);
    expect(logs.problems).toEqual([]);
    expect(logs.overlaps).toEqual([]);
  });
});
