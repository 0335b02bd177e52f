/**
 * The local cluster of the embedded default: the control plane, the CRDs of aegis.dev and the
 * local node `aegis-local`, all under one home folder. `npm start` and the integration tests
 * both start it through here.
 */
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { type ControlPlane, startControlPlane } from "./controlplane/controlplane.ts";
import { freePort } from "./controlplane/ports.ts";
import { isHealthy } from "./controlplane/probe.ts";
import { kubectlOrThrow, runKubectl } from "./kubectl.ts";
import { repoRoot } from "./paths.ts";
import { writeServiceAccountKubeconfig } from "./service-account-kubeconfig.ts";

export const LOCAL_NODE_NAME = "aegis-local";

export interface LocalClusterOptions {
  readonly home: string;
  readonly kwok?: boolean;
  /** Start the local node (default true). */
  readonly node?: boolean;
  readonly apiserverPort?: number;
  /** Start the operator (default true). */
  readonly operator?: boolean;
}

export interface LocalCluster {
  readonly controlPlane: ControlPlane;
  readonly kubeconfig: string;
  readonly kubectl: string;
  /** The operator's model gateway (transcripts for `aegis logs`), when the operator was started. */
  readonly gatewayUrl?: string;
  stop(): Promise<void>;
}

export const crdDir = (): string => join(repoRoot(), "crds");
export const baseDir = (): string => join(repoRoot(), "manifests", "base");

const WEBHOOK_CONFIGURATION_KINDS = new Set(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]);
const OPERATOR_WORKLOAD_KINDS = new Set(["Deployment", "PodDisruptionBudget"]);

function withoutKinds(rendered: string, kinds: ReadonlySet<string>): string {
  return parseAllDocuments(rendered)
    .map((doc) => doc.toJS() as { kind?: string } | null)
    .filter((obj) => obj !== null && !kinds.has(obj.kind ?? ""))
    .map((obj) => stringify(obj))
    .join("---\n");
}

/**
 * Drops the admission webhook configurations from rendered manifests. They point at the
 * aegis-webhooks Service, which has no endpoints here (the operator runs as a host process,
 * or not at all in the tests); with failurePolicy Fail they would refuse every aegis.dev write.
 * Local clusters register url-based configurations instead (webhooks/configurations.ts).
 */
export function withoutWebhookConfigurations(rendered: string): string {
  return withoutKinds(rendered, WEBHOOK_CONFIGURATION_KINDS);
}

/**
 * Drops the operator's Deployment and PodDisruptionBudget from rendered manifests: locally the
 * operator runs as a host process (startOperator), and the local node would otherwise try to run
 * the operator image as a pod.
 */
export function withoutOperatorWorkload(rendered: string): string {
  return withoutKinds(rendered, OPERATOR_WORKLOAD_KINDS);
}

/**
 * Applies a kustomization with server-side apply and waits until the CRDs in it are
 * Established.
 */
async function applyKustomization(kubectl: string, kubeconfig: string, dir: string): Promise<void> {
  const rendered = await kubectlOrThrow(kubectl, kubeconfig, ["kustomize", dir]);
  const applied = await kubectlOrThrow(kubectl, kubeconfig, [
    "apply", "--server-side", "--force-conflicts", "--field-manager=aegis-install", "-f", "-", "-o", "name",
  ], withoutOperatorWorkload(withoutWebhookConfigurations(rendered)));
  const crds = applied.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("customresourcedefinition"));
  await kubectlOrThrow(kubectl, kubeconfig, ["wait", "--for=condition=Established", "--timeout=60s", ...crds]);
}

/** Installs only the CRDs of aegis.dev. */
export async function installCrds(kubectl: string, kubeconfig: string): Promise<void> {
  await applyKustomization(kubectl, kubeconfig, crdDir());
}

/** Installs manifests/base as a user would: CRDs, the aegis-system namespace, RBAC, the runtime registry. */
export async function installBase(kubectl: string, kubeconfig: string): Promise<void> {
  // A validating configuration an earlier run's operator registered by URL points at a port
  // nobody serves now; it also covers policy ConfigMaps, so re-applying the default policies
  // would fail closed. The operator registers a fresh one when it starts.
  await kubectlOrThrow(kubectl, kubeconfig, ["delete", "validatingwebhookconfiguration", "aegis-validating-webhooks", "--ignore-not-found"]);
  await applyKustomization(kubectl, kubeconfig, baseDir());
}

async function startLocalNode(cp: ControlPlane, kubectl: string): Promise<void> {
  const port = await freePort();
  const { pki } = cp;
  // Ready means: this run's node process has registered (its kubelet port is on the Node) and
  // reports Ready. A Node object left from an earlier run has another port.
  const ready = async () => {
    const jsonpath = `{.status.daemonEndpoints.kubeletEndpoint.Port} {.status.conditions[?(@.type=="Ready")].status}`;
    const result = await runKubectl(kubectl, cp.kubeconfig, ["get", "node", LOCAL_NODE_NAME, "-o", `jsonpath=${jsonpath}`]);
    return result.code === 0 && result.stdout.trim() === `${port} True`;
  };
  await cp.attach({
    name: LOCAL_NODE_NAME,
    binary: process.execPath,
    args: [
      join(repoRoot(), "src", "local", "node", "main.ts"),
      `--kubeconfig=${cp.kubeconfig}`,
      `--home=${join(cp.home, "node")}`,
      `--tls-cert=${pki.certPath("kubeletServing")}`,
      `--tls-key=${pki.keyPath("kubeletServing")}`,
      `--client-ca=${pki.caCert}`,
      `--port=${port}`,
    ],
    logPath: join(cp.home, "logs", `${LOCAL_NODE_NAME}.log`),
    ready,
  });
}

export const OPERATOR_NAME = "aegis-operator";

/** The operator's ServiceAccount as manifests/base ships it (serviceaccount.yaml, rbac.yaml). */
export const OPERATOR_NAMESPACE = "aegis-system";

/** A fresh token each start; long enough for a local session left running (restart to renew). */
const OPERATOR_TOKEN_SECONDS = 30 * 24 * 3600;

/**
 * The operator as its own process, as it runs in a cluster: as its ServiceAccount, so with exactly
 * the RBAC manifests/base ships (a TokenRequest token in <home>/aegis-operator.kubeconfig), leader
 * election on, its health, metrics, gateway and admission webhooks on free loopback ports. Ready
 * when /readyz answers 200 (informers synced) and the API server calls its webhooks.
 */
async function startOperator(cp: ControlPlane, kubectl: string): Promise<{ gatewayUrl: string }> {
  const kubeconfig = await writeServiceAccountKubeconfig({
    adminKubeconfig: cp.kubeconfig, namespace: OPERATOR_NAMESPACE, serviceAccount: OPERATOR_NAME,
    path: join(cp.home, `${OPERATOR_NAME}.kubeconfig`), expirationSeconds: OPERATOR_TOKEN_SECONDS,
  });
  const healthPort = await freePort();
  const metricsPort = await freePort();
  const gatewayPort = await freePort();
  const webhookPort = await freePort();
  await cp.attach({
    name: OPERATOR_NAME,
    binary: process.execPath,
    args: [
      join(repoRoot(), "src", "main.ts"),
      `--kubeconfig=${kubeconfig}`,
      `--health-addr=127.0.0.1:${healthPort}`,
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      "--identity=aegis-operator-local",
      // The gateway on the loopback: iteration pods are processes of the local node here.
      `--gateway-addr=127.0.0.1:${gatewayPort}`,
      // The admission webhooks on the loopback, registered by URL (the Service has no endpoints
      // here): from now on aegis.dev writes are admitted only while the operator answers.
      `--webhook-addr=127.0.0.1:${webhookPort}`,
      `--webhook-url=https://127.0.0.1:${webhookPort}`,
      // The embedded PostgreSQL lives beside the cluster unless DATABASE_URL says otherwise.
      `--home=${cp.home}`,
    ],
    logPath: join(cp.home, "logs", `${OPERATOR_NAME}.log`),
    ready: async () => await isHealthy(`http://127.0.0.1:${healthPort}/readyz`) && await webhooksAnswer(cp, kubectl),
  });
  return { gatewayUrl: `http://127.0.0.1:${gatewayPort}` };
}

/** An Agent only our validating webhook refuses (the CRD schema accepts any pattern string). */
const PROBE_AGENT = JSON.stringify({
  apiVersion: "aegis.dev/v1alpha1",
  kind: "Agent",
  metadata: { name: "aegis-webhook-probe", namespace: "default" },
  spec: { runtime: { image: "example.com/probe:1" }, task: { instruction: "probe" }, execution: { validation: [{ type: "Regex", pattern: "(" }] } },
});

/**
 * The API server calls this run's webhook server: a server-side dry run of a bad Agent is denied
 * by it. It picks configurations up asynchronously, and one left by an earlier run points at a
 * port nobody serves any more (every aegis.dev write fails closed until the new URL is in force).
 */
async function webhooksAnswer(cp: ControlPlane, kubectl: string): Promise<boolean> {
  const result = await runKubectl(kubectl, cp.kubeconfig, ["create", "--dry-run=server", "-f", "-"], { input: PROBE_AGENT, timeoutMs: 10_000 });
  return result.code !== 0 && result.stderr.includes("not a valid RE2 pattern");
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const controlPlane = await startControlPlane({
    home: options.home,
    ...(options.apiserverPort === undefined ? {} : { apiserverPort: options.apiserverPort }),
    kwok: options.kwok ?? false,
  });
  const kubectl = controlPlane.binaries.kubernetes.binaries.kubectl!;
  let operator: { gatewayUrl: string } | undefined;
  try {
    await installBase(kubectl, controlPlane.kubeconfig);
    if (options.node !== false) await startLocalNode(controlPlane, kubectl);
    if (options.operator !== false) operator = await startOperator(controlPlane, kubectl);
  } catch (err) {
    await controlPlane.stop();
    throw err;
  }
  return { controlPlane, kubeconfig: controlPlane.kubeconfig, kubectl, ...(operator ?? {}), stop: () => controlPlane.stop() };
}
