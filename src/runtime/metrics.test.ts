import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.ts";

describe("Metrics", () => {
  it("exposes controller-runtime's names, with every outcome at zero before the first reconcile", async () => {
    const metrics = new Metrics();
    metrics.initController("agent", 3);
    metrics.leaderStatus.set({ name: "aegis-operator-leader" }, 1);
    const sink = metrics.queueSink("agent");
    sink.add();
    sink.depth(4);
    sink.queued(0.01);
    sink.worked(0.02);
    sink.retry();
    metrics.reconcileTime.observe({ controller: "agent" }, 0.05);
    const text = await metrics.registry.metrics();
    for (const result of ["success", "error", "requeue", "requeue_after", "terminal"]) {
      expect(text).toContain(`controller_runtime_reconcile_total{controller="agent",result="${result}"} 0`);
    }
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="agent"} 0');
    expect(text).toContain('controller_runtime_terminal_reconcile_errors_total{controller="agent"} 0');
    expect(text).toContain('controller_runtime_active_workers{controller="agent"} 0');
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="agent"} 3');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_count{controller="agent"} 1');
    expect(text).toContain('leader_election_master_status{name="aegis-operator-leader"} 1');
    expect(text).toContain('workqueue_adds_total{name="agent"} 1');
    expect(text).toContain('workqueue_depth{name="agent"} 4');
    expect(text).toContain('workqueue_retries_total{name="agent"} 1');
    expect(text).toContain('workqueue_queue_duration_seconds_count{name="agent"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_count{name="agent"} 1');
  });

  it("keeps registries apart, so several managers can live in one process", async () => {
    const one = new Metrics();
    const two = new Metrics();
    one.queueSink("x").add();
    expect(await two.registry.metrics()).not.toContain('workqueue_adds_total{name="x"}');
  });
});
