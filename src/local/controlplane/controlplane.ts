/**
 * Starts and stops the local control plane: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and (optionally) kwok, all on 127.0.0.1, with state under one home folder:
 *
 *   <home>/pki/          certificates and keys (reused across restarts)
 *   <home>/etcd/         etcd data (kept across restarts: objects survive a restart)
 *   <home>/logs/         one log per component
 *   <home>/kubeconfig    the admin kubeconfig
 *   <home>/control-plane.json  pids and ports of the running components (used by stop)
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, schedulerArgs } from "./args.ts";
import { ensureBinaries, type BuiltModule } from "./build.ts";
import { startComponent, stopProcessGroup, type ComponentSpec, type RunningComponent } from "./component.ts";
import { ControlPlaneError } from "./errors.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { ensurePki, type CertificateRole, type Pki } from "./pki.ts";
import { LOOPBACK, freePort, pickPort } from "./ports.ts";
import { isHealthy } from "./probe.ts";

export interface ControlPlaneOptions {
  readonly home: string;
  /** A fixed API server port; a free one when unset. */
  readonly apiserverPort?: number;
  readonly controllerManager?: boolean;
  readonly scheduler?: boolean;
  readonly kwok?: boolean;
}

export interface ControlPlane {
  readonly home: string;
  readonly server: string;
  readonly kubeconfig: string;
  readonly pki: Pki;
  readonly binaries: Record<"kubernetes" | "etcd" | "kwok", BuiltModule>;
  readonly components: readonly RunningComponent[];
  /** Starts another process (the local node, say) that stop() and the stop command also end. */
  attach(spec: ComponentSpec): Promise<RunningComponent>;
  stop(): Promise<void>;
}

interface StateFile {
  server: string;
  etcd: { clientPort: number; peerPort: number };
  processes: { name: string; pid: number; binary: string }[];
}

const stateFile = (home: string): string => join(home, "control-plane.json");

async function readState(home: string): Promise<StateFile | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(home), "utf8")) as StateFile;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and still runs `binary` (a pid may be reused after a crash). */
async function isOurs(pid: number, binary: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0")[0] === binary;
  } catch {
    return false;
  }
}

/**
 * Stops the processes a previous start recorded in <home>, if any are still running. Used by
 * the stop command and before a start, so a crashed run never leaves components behind.
 */
export async function stopRecorded(home: string): Promise<string[]> {
  const state = await readState(home);
  const stopped: string[] = [];
  for (const p of [...(state?.processes ?? [])].reverse()) {
    if (await isOurs(p.pid, p.binary)) {
      await stopProcessGroup(p.pid);
      stopped.push(p.name);
    }
  }
  await rm(stateFile(home), { force: true });
  return stopped;
}

/** etcd keeps its member's peer URL in its data, so a restart reuses the ports when it can. */
async function etcdPorts(home: string): Promise<{ clientPort: number; peerPort: number }> {
  const saved = await readFile(join(home, "etcd-ports.json"), "utf8").then(JSON.parse, () => undefined) as
    | { clientPort: number; peerPort: number }
    | undefined;
  if (saved) {
    try {
      await pickPort("etcd", saved.clientPort);
      await pickPort("etcd", saved.peerPort);
      return saved;
    } catch {
      /* taken by something else now: pick new ones */
    }
  }
  const ports = { clientPort: await freePort(), peerPort: await freePort() };
  await writeFile(join(home, "etcd-ports.json"), JSON.stringify(ports));
  return ports;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const home = options.home;
  const logs = join(home, "logs");
  await mkdir(logs, { recursive: true });
  await stopRecorded(home);
  const binaries = await ensureBinaries();
  const pki = await ensurePki(join(home, "pki"));
  const k8s = binaries.kubernetes.binaries;
  const running: RunningComponent[] = [];
  const state: StateFile = { server: "", etcd: { clientPort: 0, peerPort: 0 }, processes: [] };
  const record = async (component: RunningComponent, binary: string) => {
    running.push(component);
    state.processes.push({ name: component.name, pid: component.pid, binary });
    await writeFile(stateFile(home), JSON.stringify(state, null, 2));
  };
  const stop = async () => {
    for (const c of [...running].reverse()) await c.stop();
    running.length = 0;
    await rm(stateFile(home), { force: true });
  };
  const tls = (role: CertificateRole) => ({
    ca: pki.caCert,
    cert: pki.certPath(role),
    key: pki.keyPath(role),
  });
  const pemTls = async (role: CertificateRole) => {
    const files = tls(role);
    const [ca, cert, key] = await Promise.all([files.ca, files.cert, files.key].map((f) => readFile(f, "utf8")));
    return { ca: ca!, cert: cert!, key: key! };
  };

  try {
    const etcd = await etcdPorts(home);
    state.etcd = etcd;
    const etcdBinary = binaries.etcd.binaries.etcd!;
    await record(
      await startComponent({
        name: "etcd",
        binary: etcdBinary,
        args: etcdArgs({ dataDir: join(home, "etcd"), ...etcd }),
        logPath: join(logs, "etcd.log"),
        ready: () => isHealthy(`http://${LOOPBACK}:${etcd.clientPort}/health`),
      }),
      etcdBinary,
    );

    const port = await pickPort("kube-apiserver", options.apiserverPort);
    const server = `https://${LOOPBACK}:${port}`;
    state.server = server;
    const adminTls = await pemTls("admin");
    await record(
      await startComponent({
        name: "kube-apiserver",
        binary: k8s["kube-apiserver"]!,
        args: apiserverArgs({ pki, port, etcdPort: etcd.clientPort, certDir: join(home, "apiserver") }),
        logPath: join(logs, "kube-apiserver.log"),
        ready: () => isHealthy(`${server}/readyz`, adminTls),
        startTimeoutMs: 180_000,
      }),
      k8s["kube-apiserver"]!,
    );

    const kubeconfig = join(home, "kubeconfig");
    const clientFiles = (role: CertificateRole) => ({ ca: pki.caCert, cert: pki.certPath(role), key: pki.keyPath(role) });
    await writeKubeconfig(kubeconfig, server, clientFiles("admin"), "aegis-admin");

    if (options.controllerManager !== false) {
      const kc = join(home, "controller-manager.kubeconfig");
      await writeKubeconfig(kc, server, clientFiles("controllerManager"), "system:kube-controller-manager");
      const kcmPort = await freePort();
      await record(
        await startComponent({
          name: "kube-controller-manager",
          binary: k8s["kube-controller-manager"]!,
          args: controllerManagerArgs({ kubeconfig: kc, port: kcmPort, pki, certDir: join(home, "controller-manager") }),
          logPath: join(logs, "kube-controller-manager.log"),
          ready: () => isHealthy(`https://${LOOPBACK}:${kcmPort}/healthz`, { insecure: true }),
        }),
        k8s["kube-controller-manager"]!,
      );
    }
    if (options.scheduler !== false) {
      const kc = join(home, "scheduler.kubeconfig");
      await writeKubeconfig(kc, server, clientFiles("scheduler"), "system:kube-scheduler");
      const schedPort = await freePort();
      await record(
        await startComponent({
          name: "kube-scheduler",
          binary: k8s["kube-scheduler"]!,
          args: schedulerArgs({ kubeconfig: kc, port: schedPort, certDir: join(home, "scheduler") }),
          logPath: join(logs, "kube-scheduler.log"),
          ready: () => isHealthy(`https://${LOOPBACK}:${schedPort}/healthz`, { insecure: true }),
        }),
        k8s["kube-scheduler"]!,
      );
    }
    if (options.kwok) {
      const kwokBinary = binaries.kwok.binaries.kwok!;
      const kwokPort = await freePort();
      await record(
        await startComponent({
          name: "kwok",
          binary: kwokBinary,
          args: kwokArgs({ kubeconfig, config: join(binaries.kwok.dir, "kwok-stages.yaml"), port: kwokPort }),
          logPath: join(logs, "kwok.log"),
          ready: () => isHealthy(`http://${LOOPBACK}:${kwokPort}/healthz`),
        }),
        kwokBinary,
      );
    }
    const attach = async (spec: ComponentSpec) => {
      const component = await startComponent(spec);
      await record(component, spec.binary);
      return component;
    };
    return { home, server, kubeconfig, pki, binaries, components: running, attach, stop };
  } catch (err) {
    await stop();
    if (err instanceof ControlPlaneError) throw err;
    throw new ControlPlaneError(`starting the control plane failed: ${(err as Error).message}`, { cause: err });
  }
}

/** True when <home> has a recorded, still running control plane. */
export async function isRunning(home: string): Promise<boolean> {
  const state = await readState(home);
  if (!state || !existsSync(join(home, "kubeconfig"))) return false;
  for (const p of state.processes) if (!(await isOurs(p.pid, p.binary))) return false;
  return state.processes.length > 0;
}
