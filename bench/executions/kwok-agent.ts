/**
 * Plays the agent side of every iteration pod the scheduler puts on a kwok node: reads the
 * execution token from the Secret the pod's env references, runs the iteration against the real
 * gateway, then — once kwok's pod-ready stage has reported the pod Running (so kwok never writes
 * over the end) — applies status Succeeded with the agent container terminated, exit code 0.
 */
import { PODS, SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { createInformer } from "../../src/runtime/informer.ts";
import { playIteration } from "./gateway-client.ts";

type PodLike = KubeObject & {
  spec?: { nodeName?: string; containers?: { name: string; image: string; env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[] };
  status?: { phase?: string };
};

export interface KwokAgent {
  readonly failures: readonly string[];
  stop(): void;
}

const FIELD_MANAGER = "bench-kwok-agent";

function tokenRef(pod: PodLike): { name: string; key: string } {
  const ref = pod.spec?.containers?.[0]?.env?.find((e) => e.name === "AEGIS_EXECUTION_TOKEN")?.valueFrom?.secretKeyRef;
  if (!ref) throw new Error(`pod ${pod.metadata.name} has no AEGIS_EXECUTION_TOKEN secretKeyRef`);
  return ref;
}

export async function startKwokAgent(client: KubeClient, namespace: string, gatewayUrl: string, isKwokNode: (node: string) => boolean): Promise<KwokAgent> {
  const controller = new AbortController();
  const informer = createInformer<PodLike>(client, PODS, { namespace, labelSelector: "aegis.dev/execution" });
  const started = new Set<string>();
  const running = new Map<string, () => void>();
  const failures: string[] = [];

  const untilRunning = (pod: PodLike) => new Promise<void>((resolve) => {
    if (pod.status?.phase === "Running") resolve();
    else running.set(pod.metadata.name!, resolve);
  });

  async function play(pod: PodLike): Promise<void> {
    const name = pod.metadata.name!;
    const isRunning = untilRunning(pod);
    const ref = tokenRef(pod);
    const secret = await client.get<KubeObject & { data?: Record<string, string> }>(SECRETS, namespace, ref.name);
    const token = Buffer.from(secret.data?.[ref.key] ?? "", "base64").toString("utf8");
    await playIteration(gatewayUrl, token);
    await isRunning;
    const now = new Date().toISOString();
    const container = pod.spec!.containers![0]!;
    await client.applyStatus(PODS, {
      apiVersion: "v1", kind: "Pod", metadata: { name, namespace },
      status: {
        phase: "Succeeded",
        containerStatuses: [{
          name: container.name, image: container.image, imageID: "", ready: false, restartCount: 0, started: false,
          state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } },
        }],
      },
    }, { fieldManager: FIELD_MANAGER, force: true });
  }

  informer.subscribe(({ object }) => {
    const name = object.metadata.name!;
    if (object.status?.phase === "Running") {
      running.get(name)?.();
      running.delete(name);
    }
    const node = object.spec?.nodeName;
    if (node === undefined || !isKwokNode(node) || started.has(name)) return;
    started.add(name);
    play(object).catch((err: unknown) => failures.push(`${name}: ${(err as Error).message}`));
  });
  await informer.start(controller.signal);
  return { failures, stop: () => controller.abort() };
}
