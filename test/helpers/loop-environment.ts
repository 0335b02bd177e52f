/**
 * What end-to-end execution tests share: unique names for one test file, the scripted model
 * served through a Hybrid NodeConfig on aegis-local (its key in a Secret of the test namespace),
 * and the operator program launched as a process against the test cluster and a test database.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { NODECONFIGS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { deleteNamespace, eventually, kubeconfigPath } from "./cluster.ts";
import type { OperatorProcess } from "./operator-process.ts";

export interface LoopNames {
  /** Placement tag and model alias of the file's agents; also the NodeConfig's name. */
  readonly tag: string;
  readonly alias: string;
  /** The scripted model's name in the script. */
  readonly model: string;
  readonly key: string;
}

export function loopNames(prefix: string): LoopNames {
  const suffix = randomBytes(3).toString("hex");
  return { tag: `${prefix}-${suffix}`, alias: `${prefix}-${suffix}`, model: `scripted-${prefix}-${suffix}`, key: `sk-${prefix}-${suffix}` };
}

/** The key Secret and a NodeConfig (named after the tag) serving the alias from the scripted model at `modelUrl`. */
export async function installScriptedProvider(kube: KubeClient, namespace: string, names: LoopNames, modelUrl: string): Promise<void> {
  await kube.create(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "llm-keys", namespace }, stringData: { openai: names.key } });
  await kube.create(NODECONFIGS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: names.tag },
    spec: {
      type: "Hybrid",
      nodeSelector: { matchLabels: { "kubernetes.io/hostname": "aegis-local" } },
      tags: [names.tag],
      llmProviders: [{
        name: "scripted", type: "openai", endpoint: modelUrl, apiKeySecretRef: { namespace, name: "llm-keys", key: "openai" },
        models: [{ alias: names.alias, model: names.model, costPer1kTokens: 0.002 }],
      }],
      llmSelection: { maxRetries: 3, retryDelay: "50ms", timeout: "10s" },
    },
  });
}

export const removeScriptedProvider = (kube: KubeClient | undefined, names: LoopNames): Promise<void> =>
  kube?.delete(NODECONFIGS, undefined, names.tag).catch(() => {}) ?? Promise.resolve();

export interface LoopLeftovers {
  readonly kube: KubeClient | undefined;
  readonly names: LoopNames;
  readonly namespace: string | undefined;
  readonly model: { stop(): Promise<void> } | undefined;
  readonly db: { drop(): Promise<void> } | undefined;
}

/** After the file's operators stopped: the NodeConfig, the namespace, the model server and the database (whatever was made). */
export async function removeLoopEnvironment({ kube, names, namespace, model, db }: LoopLeftovers): Promise<void> {
  await removeScriptedProvider(kube, names);
  if (namespace) await deleteNamespace(namespace);
  await model?.stop();
  await db?.drop();
}

export interface OperatorTarget {
  readonly gatewayPort: number;
  readonly databaseUrl: string;
  readonly namespace: string;
  /** More flags, after the defaults: a later flag wins (another --kubeconfig, --leader-elect=true…). */
  readonly args?: readonly string[];
}

/** Starts the operator (no leader election, scoped to the namespace, unless `args` say otherwise) and waits until /readyz answers 200. */
export async function launchOperator(start: (identity: string, args: readonly string[]) => OperatorProcess, identity: string, t: OperatorTarget): Promise<OperatorProcess> {
  const op = start(identity, [
    "--kubeconfig", kubeconfigPath(), "--leader-elect=false", "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
    "--gateway-addr", `127.0.0.1:${t.gatewayPort}`, "--database-url", t.databaseUrl, "--watch-namespaces", t.namespace, "--log-level", "info",
    ...(t.args ?? []),
  ]);
  const health = await op.address("health");
  await eventually(async () => expect((await fetch(`http://${health}/readyz`)).status).toBe(200), { timeoutMs: 60_000, message: `${identity} ready` });
  return op;
}

/** SIGTERM, then wait for the exit. */
export async function stopOperator(op: OperatorProcess | undefined): Promise<void> {
  op?.child.kill("SIGTERM");
  await op?.exited;
}
