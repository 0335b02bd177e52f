/**
 * The local cluster of the embedded default: the control plane, the CRDs of aegis.dev and the
 * local node `aegis-local`, all under one home folder. `npm start` and the integration tests
 * both start it through here.
 */
import { join } from "node:path";
import { type ControlPlane, startControlPlane } from "./controlplane/controlplane.ts";
import { freePort } from "./controlplane/ports.ts";
import { kubectlOrThrow, runKubectl } from "./kubectl.ts";
import { repoRoot } from "./paths.ts";

export const LOCAL_NODE_NAME = "aegis-local";

export interface LocalClusterOptions {
  readonly home: string;
  readonly kwok?: boolean;
  /** Start the local node (default true). */
  readonly node?: boolean;
  readonly apiserverPort?: number;
}

export interface LocalCluster {
  readonly controlPlane: ControlPlane;
  readonly kubeconfig: string;
  readonly kubectl: string;
  stop(): Promise<void>;
}

export const crdDir = (): string => join(repoRoot(), "crds");

/** Applies crds/ (a kustomization) with server-side apply and waits until every CRD is Established. */
export async function installCrds(kubectl: string, kubeconfig: string): Promise<void> {
  const applied = await kubectlOrThrow(kubectl, kubeconfig, [
    "apply", "--server-side", "--force-conflicts", "--field-manager=aegis-install", "-k", crdDir(), "-o", "name",
  ]);
  const names = applied.split("\n").map((line) => line.trim()).filter(Boolean);
  await kubectlOrThrow(kubectl, kubeconfig, ["wait", "--for=condition=Established", "--timeout=60s", ...names]);
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

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const controlPlane = await startControlPlane({
    home: options.home,
    ...(options.apiserverPort === undefined ? {} : { apiserverPort: options.apiserverPort }),
    kwok: options.kwok ?? false,
  });
  const kubectl = controlPlane.binaries.kubernetes.binaries.kubectl!;
  try {
    await installCrds(kubectl, controlPlane.kubeconfig);
    if (options.node !== false) await startLocalNode(controlPlane, kubectl);
  } catch (err) {
    await controlPlane.stop();
    throw err;
  }
  return { controlPlane, kubeconfig: controlPlane.kubeconfig, kubectl, stop: () => controlPlane.stop() };
}
