/** Command-line flags of each control-plane component: pure functions of ports and paths. */
import type { Pki } from "./pki.ts";
import { LOOPBACK } from "./ports.ts";

export interface EtcdLayout {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

export function etcdArgs(e: EtcdLayout): string[] {
  const client = `http://${LOOPBACK}:${e.clientPort}`;
  const peer = `http://${LOOPBACK}:${e.peerPort}`;
  return [
    "--name=aegis-local",
    `--data-dir=${e.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=aegis-local=${peer}`,
    // A throwaway local store: durability against power loss is not worth the fsync cost.
    "--unsafe-no-fsync=true",
    "--quota-backend-bytes=4294967296",
    "--log-level=warn",
  ];
}

/** The service-account issuer is fixed, so tokens stay valid when the port changes on restart. */
export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
export const SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";

export function apiserverArgs(o: { pki: Pki; port: number; etcdPort: number; certDir: string }): string[] {
  const { pki } = o;
  return [
    `--etcd-servers=http://${LOOPBACK}:${o.etcdPort}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    `--secure-port=${o.port}`,
    `--cert-dir=${o.certDir}`,
    `--tls-cert-file=${pki.certPath("apiserver")}`,
    `--tls-private-key-file=${pki.keyPath("apiserver")}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    "--authorization-mode=Node,RBAC",
    "--allow-privileged=true",
    // kubectl logs/exec: the API server calls the node's kubelet endpoint with this identity
    // and checks the node's serving certificate against our CA.
    `--kubelet-client-certificate=${pki.certPath("apiserverKubeletClient")}`,
    `--kubelet-client-key=${pki.keyPath("apiserverKubeletClient")}`,
    `--kubelet-certificate-authority=${pki.caCert}`,
    "--kubelet-preferred-address-types=InternalIP",
    "--profiling=false",
    "--v=1",
  ];
}

/** Controllers we run: ownership cascade, namespaces, service accounts, workloads, node health. */
export const CONTROLLERS = [
  "garbage-collector-controller",
  "namespace-controller",
  "serviceaccount-controller",
  "root-ca-certificate-publisher-controller",
  "job-controller",
  "replicaset-controller",
  "deployment-controller",
  "statefulset-controller",
  "cronjob-controller",
  "ttl-after-finished-controller",
  "endpointslice-controller",
  "disruption-controller",
  "node-lifecycle-controller",
  "pod-garbage-collector-controller",
] as const;

/** Flags shared by kube-controller-manager and kube-scheduler: identity, serving, no election. */
function componentArgs(o: { kubeconfig: string; port: number; certDir: string }): string[] {
  return [
    `--kubeconfig=${o.kubeconfig}`,
    `--authentication-kubeconfig=${o.kubeconfig}`,
    `--authorization-kubeconfig=${o.kubeconfig}`,
    "--leader-elect=false",
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${o.port}`,
    `--cert-dir=${o.certDir}`,
    "--v=1",
  ];
}

export function controllerManagerArgs(o: { kubeconfig: string; port: number; pki: Pki; certDir: string }): string[] {
  return [
    ...componentArgs(o),
    `--controllers=${CONTROLLERS.join(",")}`,
    `--root-ca-file=${o.pki.caCert}`,
    `--service-account-private-key-file=${o.pki.serviceAccountKey}`,
    // Each controller acts as its own ServiceAccount with its bootstrap role, as in kubeadm.
    "--use-service-account-credentials=true",
  ];
}

export function schedulerArgs(o: { kubeconfig: string; port: number; certDir: string }): string[] {
  return componentArgs(o);
}

export function kwokArgs(o: { kubeconfig: string; config: string; port: number }): string[] {
  return [
    `--kubeconfig=${o.kubeconfig}`,
    `--config=${o.config}`,
    "--manage-all-nodes=false",
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    "--manage-nodes-with-label-selector=",
    "--manage-single-node=",
    "--cidr=10.0.0.0/24",
    "--node-ip=10.0.0.1",
    "--node-lease-duration-seconds=40",
    `--server-address=${LOOPBACK}:${o.port}`,
  ];
}
