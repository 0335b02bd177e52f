/**
 * Everything the executions benchmark runs against, started and stopped as one: a private
 * control plane with kwok and the local node (no operator process), a fresh test database, the
 * scripted model server, the fixtures, and the operator's controllers in this process.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "../../src/history/test-database.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { LOCAL_NODE_NAME, startLocalCluster, type LocalCluster } from "../../src/local/cluster.ts";
import { startScriptedModelServer, type ScriptedModelServer } from "../../src/model-server/index.ts";
import { createAgent, createKeySecret, createKwokNodes, createNamespace, createNodeConfig, MODEL_KEY } from "./fixtures.ts";
import { startOperator, type InProcessOperator } from "./operator.ts";

export const KWOK_NS = "bench-kwok";
export const LOCAL_NS = "bench-local";
export const KWOK_POOL = "bench-kwok";
export const AGENT = "one-shot";

export interface BenchEnv {
  readonly cluster: LocalCluster;
  readonly client: KubeClient;
  readonly model: ScriptedModelServer;
  /** Runs `cleanup` at stop(), before what was deferred earlier. */
  defer(cleanup: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export async function startEnv(kwokNodes: number): Promise<BenchEnv> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => process.stderr.write(`cleanup: ${(err as Error).message}\n`));
  };
  try {
    const home = await mkdtemp(join(tmpdir(), "aegis-bench-executions-"));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const cluster = await startLocalCluster({ home, kwok: true, node: true, operator: false });
    cleanups.push(() => cluster.stop());
    const model = await startScriptedModelServer({ script: { models: { "*": [{ text: "done" }] } }, apiKey: MODEL_KEY });
    cleanups.push(() => model.stop());
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const client = createKubeClient(kc);
    await createNamespace(client, KWOK_NS);
    await createNamespace(client, LOCAL_NS);
    await createKeySecret(client);
    await createKwokNodes(client, kwokNodes, KWOK_POOL);
    await createNodeConfig(client, "bench-orchestrator", { "aegis.dev/pool": KWOK_POOL }, KWOK_POOL, model.url);
    await createNodeConfig(client, "bench-local", { "kubernetes.io/hostname": LOCAL_NODE_NAME }, "bench-local");
    await createAgent(client, KWOK_NS, AGENT, KWOK_POOL);
    await createAgent(client, LOCAL_NS, AGENT, "bench-local");
    return { cluster, client, model, stop, defer: (cleanup) => cleanups.push(cleanup) };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts the operator (its own fresh database) and waits for both Agents to be Ready. */
export async function startOperatorIn(env: BenchEnv, workers?: number): Promise<InProcessOperator> {
  const db: TestDatabase = await createTestDatabase();
  env.defer(() => db.drop());
  const operator = await startOperator(env.cluster.kubeconfig, db.url, [KWOK_NS, LOCAL_NS], workers);
  env.defer(() => operator.stop());
  const deadline = Date.now() + 60_000;
  for (const namespace of [KWOK_NS, LOCAL_NS]) {
    for (;;) {
      const agent = await env.client.get<KubeObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } }>(AGENTS, namespace, AGENT);
      const ready = agent.status?.conditions?.find((c) => c.type === "Ready");
      if (ready?.status === "True") break;
      if (Date.now() > deadline) throw new Error(`Agent ${namespace}/${AGENT} not Ready: ${ready?.message ?? "no condition"}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return operator;
}
