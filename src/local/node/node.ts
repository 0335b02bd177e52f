/**
 * aegis-local: a node that runs the pods bound to it as local processes, in the tradition of
 * virtual-kubelet. This file only composes the parts:
 *   registration.ts  the Node object and its status      lease.ts        the heartbeat Lease
 *   pod-watcher.ts   pods bound to the node               pod-runner.ts   one pod's processes
 *   volumes.ts / volume-setup.ts  volumes on local disk   env.ts          container env
 *   image-map.ts     image → local command                pod-status.ts   PodStatus builder
 *   log-server.ts    kubelet HTTPS API for `kubectl logs`
 * It must not import controllers/ or webhooks/. See docs/local-node.md.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { defaultImageMap, parseImageMap, type ImageMap } from "./image-map.ts";
import { apiServerAddress, errorMessage, kubeClients, type KubeClients } from "./kube.ts";
import { renewLease } from "./lease.ts";
import { startLogServer } from "./log-server.ts";
import { containerLogPath } from "./pod-runner.ts";
import { PodWatcher } from "./pod-watcher.ts";
import { kubeArch, registerNode, reportNodeStatus, type MachineFacts } from "./registration.ts";

export interface LocalNodeOptions {
  /** A KubeConfig, or the path of a kubeconfig file. */
  kubeConfig: KubeConfig | string;
  /** Node name; default `aegis-local`. */
  name?: string | undefined;
  /** State directory (pods, volumes, logs live under `<home>/pods/<uid>`). */
  home: string;
  /** Kubelet serving certificate and key (PEM files); a self-signed pair when absent. */
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** CA (PEM file) the API server's kubelet-client certificate must chain to. */
  clientCA?: string | undefined;
  /** Kubelet API port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Image-map file (YAML), merged over the built-in map. */
  images?: string | undefined;
  log?: Logger | undefined;
  /** Heartbeat period (Lease renewal and Node status), default 10 s. */
  heartbeatSeconds?: number | undefined;
  /** Container restart back-off; default 1 s doubling to 60 s. */
  backoff?: { initialMs: number; maxMs: number } | undefined;
}

export interface LocalNode {
  /** Kills every pod process, marks the Node NotReady and closes the kubelet API. */
  stop(): Promise<void>;
  /** The kubelet API port. */
  port: number;
}

async function loadImageMap(file: string | undefined): Promise<ImageMap> {
  const defaults = defaultImageMap(process.execPath);
  if (!file) return defaults;
  const parsed = parseImageMap(await readFile(file, "utf8"), defaults, path.dirname(path.resolve(file)));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
  return parsed.map;
}

async function firstLine(file: string): Promise<string | undefined> {
  return existsSync(file) ? (await readFile(file, "utf8")).split("\n")[0]?.trim() : undefined;
}

async function machineFacts(home: string): Promise<MachineFacts> {
  const osRelease = existsSync("/etc/os-release") ? await readFile("/etc/os-release", "utf8") : "";
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
  const fs = await statfs(home).catch(() => undefined);
  return {
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    maxPods: 110,
    ephemeralStorageBytes: fs ? fs.blocks * fs.bsize : undefined,
    arch: kubeArch(process.arch),
    kernelVersion: os.release(),
    osImage: pretty ?? `${os.type()} ${os.release()}`,
    machineID: (await firstLine("/etc/machine-id")) ?? os.hostname(),
    bootID: (await firstLine("/proc/sys/kernel/random/boot_id")) ?? "",
  };
}

function findPodFor(clients: KubeClients, nodeName: string) {
  return async (namespace: string, name: string): Promise<{ uid: string; containers: string[] } | undefined> => {
    try {
      const pod = await clients.core.readNamespacedPod({ name, namespace });
      if (pod.spec?.nodeName !== nodeName || !pod.metadata?.uid) return undefined;
      const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
      return { uid: pod.metadata.uid, containers };
    } catch {
      return undefined;
    }
  };
}

/** Starts the local node; resolves once the Node is registered Ready and pods are watched. */
export async function startLocalNode(options: LocalNodeOptions): Promise<LocalNode> {
  const name = options.name ?? "aegis-local";
  const home = path.resolve(options.home);
  const log = (options.log ?? pino({ name: "aegis-local" })).child({ node: name });
  await mkdir(path.join(home, "pods"), { recursive: true });
  const images = await loadImageMap(options.images);
  let kubeConfig = options.kubeConfig;
  if (typeof kubeConfig === "string") {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeConfig);
    kubeConfig = kc;
  }
  const clients = kubeClients(kubeConfig);
  const tls =
    options.tlsCert && options.tlsKey
      ? { cert: await readFile(options.tlsCert, "utf8"), key: await readFile(options.tlsKey, "utf8") }
      : await (await import("./tls.ts")).selfSignedServingCert(name);
  const clientCA = options.clientCA ? await readFile(options.clientCA, "utf8") : undefined;
  const facts = await machineFacts(home);
  const hostIP = "127.0.0.1";

  const runnerContext = {
    clients,
    home,
    nodeName: name,
    hostIP,
    images,
    host: { hostPath: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", lang: process.env.LANG, apiServer: apiServerAddress(kubeConfig) },
    log,
    backoff: options.backoff ?? { initialMs: 1000, maxMs: 60_000 },
    retryMs: 2000,
  };
  const watcher = new PodWatcher(runnerContext);
  const { server, port } = await startLogServer({
    cert: tls.cert,
    key: tls.key,
    clientCA,
    port: options.port ?? 0,
    log,
    source: {
      findPod: findPodFor(clients, name),
      logPath: (uid, container, previous) => containerLogPath(home, uid, container, previous),
      isRunning: (uid, container) => watcher.runner(uid)?.isRunning(container) ?? false,
    },
  });

  const readySince = new Date();
  let nodeUid: string | undefined;
  const heartbeat = async (ready: boolean): Promise<void> => {
    await reportNodeStatus(clients, { name, ready, port, facts, now: new Date(), readySince });
    await renewLease(clients, name, nodeUid);
  };
  try {
    await registerNode(clients, name, facts);
    nodeUid = (await clients.core.readNode({ name })).metadata?.uid;
    await heartbeat(true);
    await watcher.start();
  } catch (err) {
    server.close();
    await watcher.stop();
    throw new Error(`aegis-local could not register with the API server: ${errorMessage(err)}`, { cause: err });
  }
  const timer = setInterval(() => {
    heartbeat(true).catch((err: unknown) => log.warn({ err: errorMessage(err) }, "Could not renew the node heartbeat"));
  }, (options.heartbeatSeconds ?? 10) * 1000);
  log.info({ port, home }, "Registered the node and serving the kubelet API");

  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await watcher.stop();
        await reportNodeStatus(clients, { name, ready: false, port, facts, now: new Date(), readySince: new Date() }).catch((err: unknown) =>
          log.warn({ err: errorMessage(err) }, "Could not mark the node NotReady"),
        );
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        log.info("Stopped the node");
      })()),
  };
}
