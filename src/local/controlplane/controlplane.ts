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
import { isAlive, startComponent, stopProcessGroup, type ComponentSpec, type RunningComponent } from "./component.ts";
import { ControlPlaneError } from "./errors.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { CERTIFICATES, ensurePki, type CertificateRole, type Pki } from "./pki.ts";
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
  /** etcd's client URL (its v3 JSON gateway answers there too: used by tests to compact). */
  readonly etcdUrl: string;
  /**
   * Stops one component and starts it again with the same flags and port (e.g. kube-apiserver,
   * to test that clients survive an API server restart). Resolves once it is ready again.
   */
  restart(name: string): Promise<RunningComponent>;
  /** Starts another process (the local node, say) that stop() and the stop command also end. */
  attach(spec: ComponentSpec): Promise<RunningComponent>;
  stop(): Promise<void>;
}

interface StateFile {
  /** The process that started the components (npm start, a test run). */
  ownerPid: number;
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

/** Two runs on one home would share etcd's data: refuse while another live process owns it. */
async function refuseIfOwned(home: string): Promise<void> {
  const state = await readState(home);
  if (!state || state.ownerPid === process.pid || !isAlive(state.ownerPid)) return;
  throw new ControlPlaneError(`a local cluster is already running in ${home} (started by pid ${state.ownerPid}, API server ${state.server})`, {
    hint: "use that cluster, stop it (Ctrl-C where it runs, or npm run control-plane:stop), or set AEGIS_HOME to another folder",
  });
}

/** etcd keeps its member's peer URL in its data, so a restart reuses the ports when it can. */
async function readClientPem(pki: Pki, role: CertificateRole): Promise<{ ca: string; cert: string; key: string }> {
  const files = pki.clientFiles(role);
  const [ca, cert, key] = await Promise.all([files.ca, files.cert, files.key].map((f) => readFile(f, "utf8")));
  return { ca: ca!, cert: cert!, key: key! };
}

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
  await refuseIfOwned(home);
  // Components of an earlier run whose owner died (kill -9, a crash) are stopped first.
  await stopRecorded(home);
  const binaries = await ensureBinaries();
  const pki = await ensurePki(join(home, "pki"));
  const k8s = binaries.kubernetes.binaries;
  const running: RunningComponent[] = [];
  const state: StateFile = { ownerPid: process.pid, server: "", etcd: { clientPort: 0, peerPort: 0 }, processes: [] };
  /** Starts a component and records it, so that stop() and the stop command end it too. */
  const specs = new Map<string, ComponentSpec>();
  const saveState = () => writeFile(stateFile(home), JSON.stringify(state, null, 2));
  const attach = async (spec: ComponentSpec) => {
    const component = await startComponent(spec);
    specs.set(spec.name, spec);
    running.push(component);
    state.processes.push({ name: component.name, pid: component.pid, binary: spec.binary });
    await saveState();
    return component;
  };
  const restart = async (name: string) => {
    const index = running.findIndex((c) => c.name === name);
    const spec = specs.get(name);
    if (index < 0 || !spec) throw new ControlPlaneError(`no running component named ${name}`);
    await running[index]!.stop();
    const component = await startComponent(spec);
    running[index] = component;
    state.processes = state.processes.map((p) => (p.name === name ? { ...p, pid: component.pid } : p));
    await saveState();
    return component;
  };
  const stop = async () => {
    for (const c of [...running].reverse()) await c.stop();
    running.length = 0;
    await rm(stateFile(home), { force: true });
  };

  try {
    const etcd = await etcdPorts(home);
    state.etcd = etcd;
    await attach({
      name: "etcd",
      binary: binaries.etcd.binaries.etcd!,
      args: etcdArgs({ dataDir: join(home, "etcd"), ...etcd }),
      logPath: join(logs, "etcd.log"),
      ready: () => isHealthy(`http://${LOOPBACK}:${etcd.clientPort}/health`),
    });

    const port = await pickPort("kube-apiserver", options.apiserverPort);
    const server = `https://${LOOPBACK}:${port}`;
    state.server = server;
    const adminTls = await readClientPem(pki, "admin");
    await attach({
      name: "kube-apiserver",
      binary: k8s["kube-apiserver"]!,
      args: apiserverArgs({ pki, port, etcdPort: etcd.clientPort, certDir: join(home, "apiserver") }),
      logPath: join(logs, "kube-apiserver.log"),
      ready: () => isHealthy(`${server}/readyz`, adminTls),
      startTimeoutMs: 180_000,
    });

    const kubeconfig = join(home, "kubeconfig");
    await writeKubeconfig(kubeconfig, server, pki.clientFiles("admin"), CERTIFICATES.admin.commonName);

    // kube-controller-manager and kube-scheduler: each with its own client identity and a
    // self-signed serving certificate, healthy when /healthz answers.
    const kubeComponents = [
      { enabled: options.controllerManager !== false, name: "kube-controller-manager", role: "controllerManager", args: controllerManagerArgs },
      { enabled: options.scheduler !== false, name: "kube-scheduler", role: "scheduler", args: schedulerArgs },
    ] as const;
    for (const c of kubeComponents) {
      if (!c.enabled) continue;
      const kc = join(home, `${c.name}.kubeconfig`);
      await writeKubeconfig(kc, server, pki.clientFiles(c.role), CERTIFICATES[c.role].commonName);
      const componentPort = await freePort();
      await attach({
        name: c.name,
        binary: k8s[c.name]!,
        args: c.args({ kubeconfig: kc, port: componentPort, pki, certDir: join(home, c.name) }),
        logPath: join(logs, `${c.name}.log`),
        ready: () => isHealthy(`https://${LOOPBACK}:${componentPort}/healthz`, { insecure: true }),
      });
    }
    if (options.kwok) {
      const kwokPort = await freePort();
      await attach({
        name: "kwok",
        binary: binaries.kwok.binaries.kwok!,
        args: kwokArgs({ kubeconfig, config: join(binaries.kwok.dir, "kwok-stages.yaml"), port: kwokPort }),
        logPath: join(logs, "kwok.log"),
        ready: () => isHealthy(`http://${LOOPBACK}:${kwokPort}/healthz`),
      });
    }
    const etcdUrl = `http://${LOOPBACK}:${etcd.clientPort}`;
    return { home, server, kubeconfig, pki, binaries, components: running, etcdUrl, restart, attach, stop };
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
