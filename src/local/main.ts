/**
 * `npm start`: the embedded default. Builds what is missing, starts the local control plane
 * and the aegis-local node, installs manifests/base (CRDs, namespace, RBAC, runtime registry),
 * starts the operator, prints how to use the cluster, and runs until Ctrl-C, then stops
 * everything it started.
 */
import { dirname, relative } from "node:path";
import { startLocalCluster, type LocalCluster } from "./cluster.ts";
import { ControlPlaneError } from "./controlplane/errors.ts";
import { aegisHome, repoRoot } from "./paths.ts";

function usage(cluster: LocalCluster): string {
  const kubeconfig = cluster.kubeconfig;
  const shown = relative(process.cwd(), kubeconfig).startsWith("..") ? kubeconfig : relative(process.cwd(), kubeconfig);
  const examples = relative(process.cwd(), `${repoRoot()}/examples`) || "examples";
  return [
    "",
    `aegis local cluster is ready (${cluster.controlPlane.server}, node aegis-local, aegis-operator running).`,
    "",
    "In another terminal:",
    `  export KUBECONFIG=${shown}`,
    `  export PATH=${dirname(cluster.kubectl)}:$PATH   # the kubectl built with the cluster`,
    `  kubectl apply -f ${examples}/nodeconfig-orchestrator.yaml`,
    `  kubectl apply -f ${examples}/agent-coder.yaml`,
    "  kubectl get aegis            # Agents turn Ready once their runtime and model resolve",
    "  kubectl explain agent.spec",
    "",
    `Logs of each component (the operator: aegis-operator.log): ${cluster.controlPlane.home}/logs/`,
    "Ctrl-C stops the cluster; its data stays for the next start.",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const home = aegisHome();
  process.stdout.write(`Starting the aegis local cluster in ${home} (the first run builds Kubernetes from source: several minutes)\n`);
  const cluster = await startLocalCluster({ home });
  process.stdout.write(usage(cluster));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write("\nStopping the local cluster...\n");
  await cluster.stop();
  process.stdout.write("Stopped.\n");
}

try {
  await main();
} catch (err) {
  process.stderr.write(`error: ${err instanceof ControlPlaneError ? err.describe() : (err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
