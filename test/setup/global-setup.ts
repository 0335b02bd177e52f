/**
 * Starts one local cluster for the whole integration run: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, the CRDs and the aegis-local node, from cached
 * binaries (built on first use). With KUBECONFIG set, the tests run against that cluster
 * instead, after installing the CRDs there.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBinaries } from "../../src/local/controlplane/build.ts";
import { ControlPlaneError } from "../../src/local/controlplane/errors.ts";
import { LOCAL_NODE_NAME, installBase, startLocalCluster } from "../../src/local/cluster.ts";
import { runKubectl } from "../../src/local/kubectl.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    kubectl: string;
    /** True when the aegis-local node runs pods for the tests. */
    localNode: boolean;
    /** True when the tests started the control plane themselves (and may restart parts of it). */
    ownCluster: boolean;
    /** True when kwok manages nodes annotated kwok.x-k8s.io/node=fake. */
    kwok: boolean;
  }
}

async function useExistingCluster(project: TestProject, kubeconfig: string): Promise<void> {
  process.stderr.write(`integration tests: using the existing cluster of KUBECONFIG=${kubeconfig}\n`);
  const kubectl = (await ensureBinaries()).kubernetes.binaries.kubectl!;
  await installBase(kubectl, kubeconfig);
  const node = await runKubectl(kubectl, kubeconfig, ["get", "node", LOCAL_NODE_NAME]);
  project.provide("kubeconfig", kubeconfig);
  project.provide("kubectl", kubectl);
  project.provide("localNode", node.code === 0);
  project.provide("ownCluster", false);
  project.provide("kwok", false);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.KUBECONFIG;
  if (existing && existsSync(existing)) {
    await useExistingCluster(project, existing);
    return async () => {};
  }
  const home = await mkdtemp(join(tmpdir(), "aegis-test-"));
  let cluster;
  try {
    // kwok simulates fake nodes next to aegis-local, so tests can prove each node keeps to its pods.
    // The operator does not run here: controller tests run their controllers in-process, and a
    // second operator would reconcile the same objects. The npm start test covers the process.
    cluster = await startLocalCluster({ home, kwok: true, operator: false });
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    if (err instanceof ControlPlaneError) throw new Error(err.describe(), { cause: err });
    throw err;
  }
  project.provide("kubeconfig", cluster.kubeconfig);
  project.provide("kubectl", cluster.kubectl);
  project.provide("localNode", true);
  project.provide("ownCluster", true);
  project.provide("kwok", true);
  return async () => {
    await cluster.stop();
    await rm(home, { recursive: true, force: true });
  };
}
