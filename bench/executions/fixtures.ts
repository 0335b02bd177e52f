/**
 * The objects the executions benchmark needs: its namespace, kwok nodes, the provider key
 * Secret, a Hybrid orchestrator NodeConfig serving alias "default" from the scripted model
 * server and tagging the chosen nodes, and OneShot Agents placed by that tag.
 */
import { NAMESPACES, NODECONFIGS, NODES, SECRETS, AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";

export const KEY_SECRET = { namespace: "aegis-system", name: "bench-llm-key", key: "openai" };
export const MODEL_KEY = "sk-bench-0123456789abcdef";

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

/** kwok fake nodes (annotation kwok.x-k8s.io/node=fake), labelled for the NodeConfig's selector. */
export async function createKwokNodes(client: KubeClient, count: number, pool: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client.create(NODES, {
      apiVersion: "v1", kind: "Node",
      metadata: { name: `${pool}-${i}`, annotations: { "kwok.x-k8s.io/node": "fake" }, labels: { "aegis.dev/pool": pool, type: "kwok" } },
      spec: {},
    });
  }
}

export async function createKeySecret(client: KubeClient): Promise<void> {
  await client.create(SECRETS, {
    apiVersion: "v1", kind: "Secret", type: "Opaque",
    metadata: { name: KEY_SECRET.name, namespace: KEY_SECRET.namespace }, stringData: { [KEY_SECRET.key]: MODEL_KEY },
  });
}

/**
 * With `modelUrl`, a Hybrid NodeConfig serving alias "default" from the scripted model server;
 * without, an Edge one. Nodes matching `matchLabels` get tag `tag`.
 */
export async function createNodeConfig(client: KubeClient, name: string, matchLabels: Record<string, string>, tag: string, modelUrl?: string): Promise<void> {
  await client.create(NODECONFIGS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name },
    spec: modelUrl === undefined ? { type: "Edge", nodeSelector: { matchLabels }, tags: [tag] } : {
      type: "Hybrid", nodeSelector: { matchLabels }, tags: [tag],
      llmProviders: [{
        name: "scripted", type: "openai", endpoint: modelUrl, apiKeySecretRef: KEY_SECRET,
        models: [{ alias: "default", model: "bench-model", costPer1kTokens: 0.001 }],
      }],
    },
  });
}

export async function createAgent(client: KubeClient, namespace: string, name: string, tag: string): Promise<void> {
  await client.create(AGENTS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name, namespace },
    spec: {
      runtime: { language: "typescript", version: "5.4", model: "default" },
      task: { instruction: "Answer with one word." },
      execution: { mode: "OneShot", validation: [{ type: "ExitCode", expected: 0 }] },
      placement: { tags: [tag] },
    },
  });
}

export const executionBody = (namespace: string, name: string, agent: string, n: number) => ({
  apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: agent }, input: { run: name, n } },
});
