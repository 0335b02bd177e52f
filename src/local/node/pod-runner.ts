/**
 * Runs one pod on the local node: prepares its volumes, runs init containers in order and then
 * its containers as local process groups, honours restartPolicy, activeDeadlineSeconds and
 * termination (SIGTERM, then SIGKILL after the grace period), and reports every change through
 * the StatusWriter. Everything a runner does is caught: a pod it cannot run ends Failed.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { initialRecord, statusShowsStarted } from "./adoption.ts";
import { baseEnv, buildLaunch, mountSource, type HostFacts, type Launch, type PodPaths } from "./container-launch.ts";
import { startContainerProcess, type ContainerProcess } from "./container-process.ts";
import { referencedSources, resolveEnv } from "./env.ts";
import { resolveImage, type ImageMap } from "./image-map.ts";
import { errorMessage, type KubeClients } from "./kube.ts";
import { killOrphans } from "./orphans.ts";
import type { Container, Pod } from "./pod-spec.ts";
import { buildPodStatus, podPhase, terminatedState, type ContainerRecord, type PodRecord } from "./pod-status.ts";
import { StatusWriter } from "./status-writer.ts";
import { fetchSources, linkMount, materializeVolume, writeTokens, type FetchedSources, type MaterializedVolume } from "./volume-setup.ts";
import { planVolume, volumeSourceNames } from "./volumes.ts";

export interface RunnerContext {
  clients: KubeClients;
  home: string;
  nodeName: string;
  hostIP: string;
  images: ImageMap;
  host: HostFacts;
  log: Logger;
  /** Restart back-off: first delay and cap (the kubelet uses 10 s and 5 min). */
  backoff: { initialMs: number; maxMs: number };
  /** Delay before retrying a pod whose Secrets, ConfigMaps or token are not there yet. */
  retryMs: number;
}

export type StopCause = "deleted" | "deadline" | "node-stop";

const DEFAULT_GRACE_SECONDS = 30;

/** `<home>/pods/<uid>`: everything the node keeps for one pod. */
export function podDirectory(home: string, uid: string): string {
  return path.join(home, "pods", uid);
}

/** The log file of a container (`previous`: the one before its last restart). */
export function containerLogPath(home: string, uid: string, container: string, previous = false): string {
  return path.join(podDirectory(home, uid), "logs", `${container}${previous ? ".previous" : ""}.log`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

export class PodRunner {
  readonly uid: string;
  private readonly pod: Pod;
  private readonly ctx: RunnerContext;
  private readonly record: PodRecord;
  private readonly startKind: "fresh" | "resume" | "failed";
  private readonly status: StatusWriter;
  private readonly processes = new Map<string, ContainerProcess>();
  private readonly abort = new AbortController();
  private readonly dir: string;
  private readonly log: Logger;
  private stopCause: StopCause | undefined;
  private finished: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private paths: PodPaths | undefined;
  private sources: FetchedSources | undefined;

  constructor(pod: Pod, ctx: RunnerContext) {
    this.pod = pod;
    this.uid = pod.metadata.uid;
    this.ctx = ctx;
    this.dir = podDirectory(ctx.home, this.uid);
    this.log = ctx.log.child({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, uid: this.uid });
    const startedBefore = existsSync(path.join(this.dir, "started")) || statusShowsStarted(pod);
    const initial = initialRecord(pod, { hostIP: ctx.hostIP, podIP: ctx.hostIP }, startedBefore, new Date());
    this.record = initial.record;
    this.startKind = initial.kind;
    const ref = { name: pod.metadata.name, namespace: pod.metadata.namespace };
    this.status = new StatusWriter(ctx.clients, ref, pod.status.conditions, (prev, now) => buildPodStatus(this.record, prev, now), this.log);
  }

  /** Starts the pod in the background. */
  start(): void {
    this.finished = this.run()
      .catch((err: unknown) => {
        this.log.error({ err: errorMessage(err) }, "The pod runner failed");
        this.record.failure ??= { reason: "NodeError", message: `aegis-local could not run the pod: ${errorMessage(err)}` };
        this.killAll("SIGKILL");
        this.publish();
      })
      .finally(() => {
        for (const t of this.timers) clearTimeout(t);
      });
  }

  /** True while the container has a live process (the log server follows until it ends). */
  isRunning(container: string): boolean {
    return this.processes.has(container);
  }

  /** True once the pod can do nothing more on this node. */
  get terminal(): boolean {
    const phase = podPhase(this.record);
    return phase === "Succeeded" || phase === "Failed";
  }

  /**
   * Stops the pod: SIGTERM to every process group, SIGKILL after the grace period, and waits
   * until all are gone. `deadline` ends the pod Failed with reason DeadlineExceeded.
   */
  async stop(cause: StopCause, graceSeconds?: number | null): Promise<void> {
    if (!this.stopCause) {
      this.stopCause = cause;
      if (cause === "deadline") {
        this.record.failure ??= { reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" };
        this.publish();
      }
      if (cause === "node-stop") this.status.close();
      this.abort.abort();
    }
    const grace = graceSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    this.killAll("SIGTERM");
    const killer = setTimeout(() => this.killAll("SIGKILL"), Math.max(0, grace) * 1000);
    try {
      await this.finished;
    } finally {
      clearTimeout(killer);
    }
    await this.status.flush();
  }

  private killAll(sig: NodeJS.Signals): void {
    for (const p of this.processes.values()) p.signal(sig);
  }

  private publish(): void {
    this.status.mark();
  }

  private async run(): Promise<void> {
    if (this.startKind === "failed") {
      await killOrphans(path.join(this.dir, "root"));
      this.log.warn("The pod was running when the node stopped; marking it Failed");
      this.publish();
      return;
    }
    if (this.startKind === "resume") {
      const pids = await killOrphans(path.join(this.dir, "root"));
      if (pids.length > 0) this.log.warn({ pids }, "Killed processes a previous run of the node left behind");
    }
    this.record.startTime ??= new Date();
    this.scheduleDeadline();
    this.publish();
    if (!(await this.prepare())) return;
    for (const c of this.pod.spec.initContainers) {
      const rec = this.recordOf(c.name, true);
      if (rec.current.state === "terminated" && rec.current.exitCode === 0) continue;
      if (!(await this.runContainer(c, rec, true))) return;
    }
    for (const rec of this.record.containers) {
      if (rec.current.state === "waiting") rec.current = { state: "waiting", reason: "ContainerCreating" };
    }
    this.publish();
    await Promise.all(
      this.pod.spec.containers.map((c) => {
        const rec = this.recordOf(c.name, false);
        return rec.current.state === "terminated" ? Promise.resolve(true) : this.runContainer(c, rec, false);
      }),
    );
  }

  private recordOf(name: string, init: boolean): ContainerRecord {
    const rec = (init ? this.record.init : this.record.containers).find((c) => c.name === name);
    if (!rec) throw new Error(`no record for container ${name}`);
    return rec;
  }

  private scheduleDeadline(): void {
    const seconds = this.pod.spec.activeDeadlineSeconds;
    if (seconds === undefined || seconds === null || !this.record.startTime) return;
    const due = this.record.startTime.getTime() + seconds * 1000 - Date.now();
    this.timers.push(setTimeout(() => void this.stop("deadline"), Math.max(0, due)));
  }

  private failPod(reason: string, message: string): void {
    this.record.failure ??= { reason, message };
    this.publish();
  }

  private setWaiting(reason: string, message: string, only?: ContainerRecord): void {
    for (const rec of only ? [only] : [...this.record.init, ...this.record.containers]) {
      if (rec.current.state === "waiting") rec.current = { state: "waiting", reason, message };
    }
    this.publish();
  }

  /** Volumes, mount links and log directory; retried while sources are missing. */
  private async prepare(): Promise<boolean> {
    const all = [...this.pod.spec.initContainers, ...this.pod.spec.containers];
    while (!this.stopCause) {
      try {
        const fromVolumes = volumeSourceNames(this.pod.spec.volumes);
        const fromEnv = referencedSources(all);
        this.sources = await fetchSources(this.ctx.clients, this.pod.metadata.namespace, {
          secrets: [...fromVolumes.secrets, ...fromEnv.secrets],
          configMaps: [...fromVolumes.configMaps, ...fromEnv.configMaps],
        });
        const facts = { nodeName: this.ctx.nodeName, hostIP: this.ctx.hostIP, podIP: this.ctx.hostIP };
        const volumes: MaterializedVolume[] = [];
        for (const v of this.pod.spec.volumes) {
          const planned = planVolume(this.pod, facts, v, this.sources.volumes);
          if (!planned.ok) {
            if (planned.permanent) {
              this.failPod("UnsupportedPodSpec", planned.message);
              return false;
            }
            throw new Error(`MountVolume.SetUp failed for volume "${v.name}": ${planned.message}`);
          }
          volumes.push(await materializeVolume(this.dir, v.name, planned.plan));
        }
        await this.refreshTokens(volumes);
        const root = path.join(this.dir, "root");
        await mkdir(root, { recursive: true });
        this.paths = { root, volumes: new Map(volumes.map((v) => [v.name, v.dir])) };
        for (const c of all) {
          for (const m of c.volumeMounts) {
            const source = mountSource(this.paths, m);
            if (source === undefined) {
              this.failPod("UnsupportedPodSpec", `container ${c.name} mounts volume ${m.name}, which the pod does not define`);
              return false;
            }
            await linkMount(root, m.mountPath, source);
          }
        }
        await mkdir(path.join(this.dir, "logs"), { recursive: true });
        return true;
      } catch (err) {
        this.setWaiting("ContainerCreating", errorMessage(err));
        this.log.info({ err: errorMessage(err) }, "Could not prepare the pod yet; retrying");
        await sleep(this.ctx.retryMs, this.abort.signal);
      }
    }
    return false;
  }

  /** Writes the tokens and re-requests them at 80% of their lifetime, as the kubelet does. */
  private async refreshTokens(volumes: MaterializedVolume[]): Promise<void> {
    let earliest: Date | undefined;
    for (const v of volumes) {
      const exp = await writeTokens(this.ctx.clients, this.pod, v);
      if (exp && (!earliest || exp < earliest)) earliest = exp;
    }
    if (!earliest || this.stopCause) return;
    const delay = Math.max(10_000, (earliest.getTime() - Date.now()) * 0.8);
    const timer = setTimeout(() => {
      this.refreshTokens(volumes).catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, "Could not refresh a service-account token"));
    }, delay);
    timer.unref();
    this.timers.push(timer);
  }

  /** The launch of a container; undefined when the pod must fail or stop. Retries missing sources. */
  private async launchFor(c: Container, rec: ContainerRecord): Promise<Launch | undefined> {
    const image = resolveImage(this.ctx.images, c.image);
    if (!image) {
      rec.current = { state: "waiting", reason: "ImageNotMapped", message: `image ${JSON.stringify(c.image)} has no entry in the image map (see --images and docs/local-node.md)` };
      this.failPod("ImageNotMapped", `container ${c.name}: image ${JSON.stringify(c.image)} has no entry in the image map`);
      return undefined;
    }
    while (!this.stopCause && this.paths && this.sources) {
      const facts = { nodeName: this.ctx.nodeName, hostIP: this.ctx.hostIP, podIP: this.ctx.hostIP };
      const base = baseEnv(this.pod, c, image, this.paths, this.ctx.host);
      const env = resolveEnv(this.pod, c, facts, this.sources.env, base);
      if (env.ok) return buildLaunch(c, image, env.env, this.paths);
      if (env.permanent) {
        rec.current = { state: "waiting", reason: "CreateContainerConfigError", message: env.message };
        this.failPod("UnsupportedPodSpec", `container ${c.name}: ${env.message}`);
        return undefined;
      }
      this.setWaiting("CreateContainerConfigError", env.message, rec);
      await sleep(this.ctx.retryMs, this.abort.signal);
      const refs = referencedSources([c]);
      this.sources = { ...this.sources, env: (await fetchSources(this.ctx.clients, this.pod.metadata.namespace, refs)).env };
    }
    return undefined;
  }

  /** Runs a container until it ends for good; true when it ended with exit code 0. */
  private async runContainer(c: Container, rec: ContainerRecord, isInit: boolean): Promise<boolean> {
    let backoff = this.ctx.backoff.initialMs;
    while (!this.stopCause) {
      const launch = await this.launchFor(c, rec);
      if (!launch || this.stopCause) return false;
      const logPath = containerLogPath(this.ctx.home, this.uid, c.name);
      if (rec.restartCount > 0) await rename(logPath, containerLogPath(this.ctx.home, this.uid, c.name, true)).catch(() => undefined);
      await mkdir(launch.cwd, { recursive: true });
      await writeFile(path.join(this.dir, "started"), new Date().toISOString());
      const proc = startContainerProcess({ ...launch, logPath });
      this.processes.set(c.name, proc);
      rec.containerID = `aegis://${this.uid}/${c.name}/${rec.restartCount}`;
      rec.current = { state: "running", startedAt: proc.startedAt };
      this.log.info({ container: c.name, pid: proc.pid, argv: launch.argv }, "Started container");
      this.publish();
      const end = await proc.ended;
      this.processes.delete(c.name);
      rec.current = terminatedState(end, proc.startedAt);
      this.log.info({ container: c.name, exitCode: rec.current.exitCode, reason: rec.current.reason }, "Container ended");
      this.publish();
      const failed = rec.current.exitCode !== 0;
      const policy = this.pod.spec.restartPolicy;
      const restart = !this.stopCause && ((policy === "Always" && !isInit) || (policy !== "Never" && failed));
      if (!restart) return !failed;
      rec.last = rec.current;
      rec.restartCount += 1;
      rec.current = { state: "waiting", reason: "CrashLoopBackOff", message: `back-off ${Math.round(backoff / 1000)}s restarting failed container=${c.name} pod=${this.pod.metadata.name}` };
      this.publish();
      await sleep(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, this.ctx.backoff.maxMs);
    }
    return false;
  }
}
