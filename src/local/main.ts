/**
 * `npm start`: the embedded default. Builds what is missing, starts the local control plane
 * and the aegis-local node, installs manifests/base (CRDs, namespace, RBAC, runtime registry),
 * starts the operator (gateway, embedded PostgreSQL), runs the hello example end to end with
 * the demo model, prints how to watch and use the cluster, and runs until Ctrl-C, then stops
 * everything it started.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { dirname, relative } from "node:path";
import { createKubeClient } from "../kube/client.ts";
import { startLocalCluster, type LocalCluster } from "./cluster.ts";
import { startDemoModel, type DemoModel } from "./demo-model.ts";
import { DEMO_NAMESPACE, followRun, installDemo, startDemoRun, TRANSCRIPT_READER } from "./demo.ts";
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
    "  kubectl get executions -w    # watch runs go Pending → Running → Validating → Refining → … → Succeeded",
    `  kubectl create -f ${examples}/local/execution-hello.yaml   # another run of the hello agent`,
    "  kubectl get execution <name> -o yaml   # iterations, scores, validator feedback, tokens, cost",
    ...(cluster.gatewayUrl === undefined ? [] : [
      `  npx aegis logs -f <name> --gateway ${cluster.gatewayUrl} --token "$(kubectl create token ${TRANSCRIPT_READER})"   # its transcript, live`,
    ]),
    "  kubectl get aegis            # every aegis.dev object",
    "  kubectl explain agent.spec",
    "",
    `Logs of each component (the operator: aegis-operator.log): ${cluster.controlPlane.home}/logs/`,
    "Ctrl-C stops the cluster; its data stays for the next start.",
    "",
  ].join("\n");
}

/** Runs the hello example once and tells how it went; a failure is reported, never fatal. */
async function runExample(cluster: LocalCluster, model: DemoModel): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const client = createKubeClient(kc);
  process.stdout.write(`\nRunning the example (examples/local/): the hello agent with ${model.description}\n`);
  try {
    await installDemo(client, model);
    const name = await startDemoRun(client);
    const final = await followRun(client, name, (line) => process.stdout.write(`  ${line}\n`));
    process.stdout.write(final?.phase === "Succeeded"
      ? `  output: ${final.outputPreview ?? ""}\n  tokens ${final.tokens ?? 0}, cost $${final.cost ?? 0}; details: kubectl get execution ${name} -n ${DEMO_NAMESPACE} -o yaml\n`
      : `  the run ended ${final?.phase ?? "?"}: ${final?.message ?? ""}\n`);
  } catch (err) {
    process.stdout.write(`  the example could not run: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

async function main(): Promise<void> {
  const home = aegisHome();
  process.stdout.write(`Starting the aegis local cluster in ${home} (the first run builds Kubernetes from source: several minutes)\n`);
  const cluster = await startLocalCluster({ home });
  const model = await startDemoModel(process.env);
  await runExample(cluster, model);
  process.stdout.write(usage(cluster));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write("\nStopping the local cluster...\n");
  await cluster.stop();
  await model.stop();
  process.stdout.write("Stopped.\n");
}

try {
  await main();
} catch (err) {
  process.stderr.write(`error: ${err instanceof ControlPlaneError ? err.describe() : (err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
