/** The objects the runtime benchmark creates: an orchestrator serving the model, and Agents. */
import { AGENTS, NODECONFIGS } from "../../src/kube/resources.ts";
import { isAlreadyExists } from "../../src/kube/errors.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";

/** An orchestrator NodeConfig serving model `alias` (a local provider: no Secret needed). */
export async function createOrchestrator(client: KubeClient, name = "bench-orchestrator", alias = "default"): Promise<void> {
  const nodeConfig: KubeObject = {
    apiVersion: "aegis.dev/v1alpha1",
    kind: "NodeConfig",
    metadata: { name },
    spec: {
      type: "Orchestrator",
      llmProviders: [{ name: "ollama", type: "ollama", endpoint: "http://127.0.0.1:11434", models: [{ alias, model: "llama3.1:8b" }] }],
    },
  };
  await client.create(NODECONFIGS, nodeConfig).catch((err: unknown) => {
    if (!isAlreadyExists(err)) throw err;
  });
}

export function createAgent(client: KubeClient, namespace: string, name: string, model = "default"): Promise<KubeObject> {
  return client.create(AGENTS, {
    apiVersion: "aegis.dev/v1alpha1",
    kind: "Agent",
    metadata: { name, namespace },
    spec: { runtime: { language: "python", version: "3.12", model }, task: { instruction: "Write fizzbuzz with tests." } },
  });
}
