/**
 * I/O for the admission round-trip benchmark: the webhook process, switching our webhook
 * configurations off and on (and waiting until the API server has the change in force), and
 * the API server's own account of the webhook calls (its /metrics).
 */
import { fork } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isKubeApiError, isNotFound } from "../../src/kube/errors.ts";
import { AGENTS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { kubectlOrThrow } from "../../src/local/kubectl.ts";
import { DEFAULT_CONFIGURATION_NAMES, MUTATING_WEBHOOKS, VALIDATING_WEBHOOKS } from "../../webhooks/configurations.ts";
import { cpuMsOfStat, histogramTotals } from "./admission-stats.ts";
import type { ProcessStats } from "./webhook-process.ts";

export const FIELD_MANAGER = "aegis-bench";

export interface WebhookProcess {
  readonly pid: number;
  /** What the server saw since the last take. */
  take(): Promise<ProcessStats>;
  stop(): Promise<void>;
}

/**
 * Forks bench/policy/webhook-process.ts; resolves once it serves and has applied our
 * configurations. With `cpuProfileDir`, the process writes a V8 CPU profile there when it stops.
 */
export function startWebhookProcess(kubeconfig: string, cpuProfileDir?: string): Promise<WebhookProcess> {
  const child = fork(join(import.meta.dirname, "webhook-process.ts"), [kubeconfig], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [...process.execArgv, ...(cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`])],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = <T>() => new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the webhook process exited (${code})`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message as T);
    });
  });
  return next<{ port: number }>().then(() => ({
    pid: child.pid!,
    take: () => {
      const answer = next<ProcessStats>();
      child.send("take");
      return answer;
    },
    stop: async () => {
      if (child.exitCode === null) child.disconnect();
      await exited;
    },
  }));
}

/** The parts of a configuration to re-create it as it was. */
const kept = (config: KubeObject): KubeObject => ({
  apiVersion: config.apiVersion, kind: config.kind,
  metadata: { name: config.metadata.name!, labels: config.metadata.labels ?? {} },
  webhooks: (config as KubeObject & { webhooks: unknown }).webhooks,
}) as KubeObject;

export interface WebhookSwitch {
  /** Deletes (off) or re-creates (on) both configurations, then waits until the API server has the change in force. */
  set(on: boolean): Promise<void>;
}

/**
 * Snapshots our two configurations as the webhook process applied them (caBundle injected).
 * `probe` is an Agent the mutating webhook changes (a validator without thresholds) and
 * `denied` one only the validating webhook refuses.
 */
export async function webhookSwitch(client: KubeClient, probe: KubeObject, denied: KubeObject): Promise<WebhookSwitch> {
  const configurations = [
    [VALIDATING_WEBHOOKS, kept(await client.get(VALIDATING_WEBHOOKS, undefined, DEFAULT_CONFIGURATION_NAMES.validating))],
    [MUTATING_WEBHOOKS, kept(await client.get(MUTATING_WEBHOOKS, undefined, DEFAULT_CONFIGURATION_NAMES.mutating))],
  ] as const;

  const validating = async () => {
    return client.apply(AGENTS, denied, { fieldManager: FIELD_MANAGER, dryRun: true }).then(() => false, (err: unknown) => {
      if (isKubeApiError(err) && err.message.includes("not a valid RE2 pattern")) return true;
      throw err;
    });
  };
  const mutating = async () => {
    const applied = await client.apply(AGENTS, probe, { fieldManager: FIELD_MANAGER, dryRun: true }) as KubeObject & { spec: { execution: { validation: { minScore?: number }[] } } };
    return applied.spec.execution.validation[0]?.minScore !== undefined;
  };

  return {
    async set(on) {
      for (const [resource, config] of configurations) {
        if (on) await client.apply(resource, config, { fieldManager: FIELD_MANAGER, force: true });
        else await client.delete(resource, undefined, config.metadata.name!).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
      const deadline = Date.now() + 60_000;
      while (await validating() !== on || await mutating() !== on) {
        if (Date.now() > deadline) throw new Error(`the API server did not turn our webhooks ${on ? "on" : "off"} within 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Sum and count of the API server's webhook call durations, per webhook name. */
export async function apiServerWebhookTotals(kubectl: string, kubeconfig: string) {
  const text = await kubectlOrThrow(kubectl, kubeconfig, ["get", "--raw", "/metrics"]);
  return histogramTotals(text, "apiserver_admission_webhook_admission_duration_seconds", "name");
}

/** CPU time (ms) each process has used so far (Linux /proc). */
export async function cpuMs(pids: readonly number[]): Promise<number[]> {
  return Promise.all(pids.map(async (pid) => cpuMsOfStat(await readFile(`/proc/${pid}/stat`, "utf8"))));
}
