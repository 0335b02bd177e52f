// The aegis-gateway Service selects aegis.dev/gateway=serving: two operator processes, each told its
// "own" Pod (POD_NAME / POD_NAMESPACE; the Pods never run), label exactly the leader's. A killed
// leader cannot unlabel, so its Pod keeps the label until a fresh process for it starts and removes
// it before campaigning; a graceful stop unlabels, and the new leader labels its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_LABEL, SERVING } from "../../src/gateway/serving-label.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { LEASES, PODS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig, kubeconfigPath } from "../helpers/cluster.ts";
import { operatorProcesses, type OperatorProcess } from "../helpers/operator-process.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const LEASE = `gateway-label-${process.pid}`;
const OTHER_LABELS = { "app.kubernetes.io/name": "aegis-operator" };

let podEnv: Record<string, string> = {};
const operator = operatorProcesses(() => podEnv);
const tempDir = tempDirs();

let client: KubeClient;
let namespace: string;
let logDir: string;

beforeAll(async () => {
  client = createKubeClient(kubeConfig());
  namespace = await createNamespace("gateway-label");
  logDir = await tempDir("reconcile-log");
  // pod-a has labels of its own (kept); pod-b none at all (the leader adds the whole map).
  for (const [name, labels] of [["pod-a", OTHER_LABELS], ["pod-b", undefined]] as const) {
    await client.create(PODS, {
      apiVersion: "v1", kind: "Pod", metadata: { name, namespace, ...(labels ? { labels } : {}) },
      // No scheduler serves this name: the Pod stays Pending and never runs.
      spec: { schedulerName: "aegis-test-nobody", containers: [{ name: "operator", image: "registry.invalid/aegis-operator:none" }] },
    });
  }
});

afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

/** An operator whose own Pod is `pod`; the Lease lives in the test namespace. */
function start(identity: string, pod: string): OperatorProcess {
  podEnv = { POD_NAME: pod, POD_NAMESPACE: namespace };
  return operator(identity, [
    "--kubeconfig", kubeconfigPath(), "--namespace", namespace, "--lease-name", LEASE,
    "--lease-duration", "4s", "--renew-deadline", "3s", "--retry-period", "500ms",
    "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
    "--controllers", "reconcile-log", "--reconcile-log-dir", logDir, "--watch-namespaces", namespace,
  ]);
}

const labelsOf = async (pod: string): Promise<Record<string, string>> => (await client.get<KubeObject>(PODS, namespace, pod)).metadata.labels ?? {};
const holder = async (): Promise<string | undefined> =>
  (await client.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, namespace, LEASE)).spec?.holderIdentity;

/** Waits until the gateway label is on exactly the Pods in `serving` of pod-a and pod-b. */
async function servedBy(serving: readonly string[], timeoutMs = 20_000): Promise<void> {
  await eventually(async () => {
    for (const pod of ["pod-a", "pod-b"]) expect((await labelsOf(pod))[GATEWAY_LABEL], pod).toBe(serving.includes(pod) ? SERVING : undefined);
  }, { timeoutMs, intervalMs: 100, message: `the gateway label on exactly [${serving.join(", ")}]` });
}

const labelProblems = (op: OperatorProcess): string[] => op.lines.filter((l) => l.component === "gateway-label" && l.level !== undefined && Number(l.level) >= 40).map((l) => JSON.stringify(l));

describe("the gateway label follows the leader", () => {
  it("labels only the leader's Pod; a killed leader's stale label is removed by its next start; a graceful stop hands it over", { timeout: 120_000 }, async () => {
    const a = start("gl-a", "pod-a");
    await a.waitFor("Became leader, starting controllers");
    const b = start("gl-b", "pod-b");
    await b.waitFor("Informer caches synced");
    expect(await holder()).toBe("gl-a");
    await servedBy(["pod-a"]);

    a.child.kill("SIGKILL");
    await a.exited;
    await b.waitFor("Became leader, starting controllers", 20_000);
    // Killed, the old leader could not unlabel: both Pods carry it until pod-a's container restarts.
    await servedBy(["pod-a", "pod-b"]);

    const restarted = start("gl-a", "pod-a");
    await servedBy(["pod-b"]);
    await restarted.waitFor("Informer caches synced");
    expect(await holder()).toBe("gl-b");
    expect(restarted.lines.some((l) => l.msg === "Became leader, starting controllers")).toBe(false);
    expect(await labelsOf("pod-a")).toEqual(OTHER_LABELS);

    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
    // b unlabelled its Pod before exiting; the restarted process took the Lease and labels pod-a.
    expect((await labelsOf("pod-b"))[GATEWAY_LABEL]).toBeUndefined();
    await restarted.waitFor("Became leader, starting controllers", 10_000);
    await servedBy(["pod-a"]);

    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
    expect(await labelsOf("pod-a")).toEqual(OTHER_LABELS);
    expect([a, b, restarted].flatMap(labelProblems)).toEqual([]);
  });
});
