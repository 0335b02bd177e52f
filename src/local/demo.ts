/**
 * `npm start`'s demo: the NodeConfig "local" (the node aegis-local, tag `local`, the demo model),
 * then the hello agent and one run of it from examples/local/, followed phase by phase as
 * `kubectl get executions -w` would show it, until it ends.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { isAlreadyExists } from "../kube/errors.ts";
import { AGENTS, EXECUTIONS, NODECONFIGS, ROLEBINDINGS, ROLES, SECRETS, SERVICEACCOUNTS } from "../kube/resources.ts";
import type { KubeClient, KubeObject } from "../kube/types.ts";
import { DEMO_ALIAS, type DemoModel } from "./demo-model.ts";
import { repoRoot } from "./paths.ts";

export const DEMO_NAMESPACE = "default";
const FIELD_MANAGER = "aegis-local-demo";
const KEY_SECRET = { namespace: "aegis-system", name: "local-model-key", key: "apiKey" };

type Execution = KubeObject & { status?: { phase?: string; iterationDisplay?: string; score?: number; tokens?: number; cost?: number; outputPreview?: string; message?: string } };

const example = (file: string): KubeObject => parse(readFileSync(join(repoRoot(), "examples", "local", file), "utf8")) as KubeObject;

/** Applies the NodeConfig, its key Secret, the hello Agent and the transcript reader (idempotent). */
export async function installDemo(client: KubeClient, model: DemoModel): Promise<void> {
  if (model.apiKey !== undefined) {
    await client.apply(SECRETS, {
      apiVersion: "v1", kind: "Secret", metadata: { name: KEY_SECRET.name, namespace: KEY_SECRET.namespace }, stringData: { [KEY_SECRET.key]: model.apiKey },
    }, { fieldManager: FIELD_MANAGER, force: true });
  }
  await client.apply(NODECONFIGS, {
    apiVersion: "aegis.dev/v1alpha1", kind: "NodeConfig", metadata: { name: "local" },
    spec: {
      type: "Hybrid",
      nodeSelector: { matchLabels: { "kubernetes.io/hostname": "aegis-local" } },
      tags: ["local"],
      llmProviders: [{ ...model.provider, ...(model.apiKey === undefined ? {} : { apiKeySecretRef: KEY_SECRET }) }],
      llmSelection: { maxRetries: 3, timeout: "120s" },
    },
  }, { fieldManager: FIELD_MANAGER, force: true });
  await client.apply(AGENTS, { ...example("agent-hello.yaml"), metadata: { ...example("agent-hello.yaml").metadata, namespace: DEMO_NAMESPACE } }, { fieldManager: FIELD_MANAGER, force: true });
  await installTranscriptReader(client);
  void DEMO_ALIAS;
}

/** The ServiceAccount whose token `npx aegis logs` passes to the gateway (the local kubeconfig's client certificate cannot be). */
export const TRANSCRIPT_READER = "transcript-reader";

/**
 * Who may read the demo namespace's transcripts: the gateway checks the bearer token with a
 * TokenReview, then `get executions.aegis.dev` with a SubjectAccessReview — all this Role grants.
 */
export async function installTranscriptReader(client: KubeClient): Promise<void> {
  const metadata = { name: "aegis-transcript-reader", namespace: DEMO_NAMESPACE };
  await client.apply(SERVICEACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: TRANSCRIPT_READER, namespace: DEMO_NAMESPACE } }, { fieldManager: FIELD_MANAGER, force: true });
  await client.apply(ROLES, {
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata,
    rules: [{ apiGroups: ["aegis.dev"], resources: ["executions"], verbs: ["get"] }],
  }, { fieldManager: FIELD_MANAGER, force: true });
  await client.apply(ROLEBINDINGS, {
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata,
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: metadata.name },
    subjects: [{ kind: "ServiceAccount", name: TRANSCRIPT_READER, namespace: DEMO_NAMESPACE }],
  }, { fieldManager: FIELD_MANAGER, force: true });
}

/** Creates one run of the hello agent; returns its name. */
export async function startDemoRun(client: KubeClient): Promise<string> {
  const manifest = example("execution-hello.yaml");
  const created = await client.create<KubeObject>(EXECUTIONS, { ...manifest, metadata: { ...manifest.metadata, namespace: DEMO_NAMESPACE } }).catch((err: unknown) => {
    if (isAlreadyExists(err)) throw new Error("a run with that name exists; try again", { cause: err });
    throw err;
  });
  return created.metadata.name ?? "";
}

/** Prints each phase of the run as a watch sees it change; resolves with the final status. */
export async function followRun(client: KubeClient, name: string, print: (line: string) => void, timeoutMs = 300_000): Promise<Execution["status"]> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let final: Execution["status"];
  const see = (run: Execution): boolean => {
    const s = run.status ?? {};
    const line = `${name}  ${s.phase ?? "(new)"}  iteration ${s.iterationDisplay ?? "-"}${s.score === undefined ? "" : `  score ${s.score}`}`;
    if (line !== last) print(line);
    last = line;
    if (s.phase === "Succeeded" || s.phase === "Failed" || s.phase === "Cancelled") final = s;
    return final !== undefined;
  };
  while (Date.now() < deadline) {
    const list = await client.list<Execution>(EXECUTIONS, { namespace: DEMO_NAMESPACE, fieldSelector: `metadata.name=${name}` });
    if (list.items.some(see)) return final;
    const stop = new AbortController();
    // A watch ends on its own after timeoutSeconds; then list again and go on.
    await client.watch<Execution>(EXECUTIONS, {
      namespace: DEMO_NAMESPACE, fieldSelector: `metadata.name=${name}`, resourceVersion: list.resourceVersion, signal: stop.signal, timeoutSeconds: 30,
    }, (_type, run) => {
      if (see(run)) stop.abort();
    }).catch((err: unknown) => {
      if (!stop.signal.aborted) throw err;
    });
    if (final !== undefined) return final;
  }
  throw new Error(`the run ${name} did not finish within ${timeoutMs / 1000}s (see the operator log)`);
}
