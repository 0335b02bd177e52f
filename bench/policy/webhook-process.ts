/**
 * The webhook server for the admission benchmark, in its own process (as the operator runs it,
 * not sharing an event loop with the benchmark's clients): the operator's own wiring
 * (startOperatorWebhooks with --webhook-url, so it applies our configurations and injects their
 * caBundle), Cedar policies from the labelled ConfigMaps of aegis-system (manifests/base/policies.yaml)
 * through the ConfigMap informer. Started with fork(): sends { port } when serving, and answers
 * "take" with what it saw since the last take: each request's handling time in the server, the
 * connections accepted (each one a TLS handshake) and the CPU time it used.
 * Usage: node bench/policy/webhook-process.ts <kubeconfig>
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeClient } from "../../src/kube/client.ts";
import { freePort } from "../../src/local/controlplane/ports.ts";
import { createLogger } from "../../src/log/logger.ts";
import { startOperatorWebhooks } from "../../src/operator-webhooks.ts";
import { createInformerFactory } from "../../src/runtime/informer-factory.ts";

export interface ProcessStats {
  /** Handling time of each request by path, from its headers parsed to its response written (ms). */
  readonly handlingMs: Record<string, number[]>;
  /** TCP connections accepted: every one costs a TLS handshake. */
  readonly connections: number;
  /** User + system CPU time of this process (ms). */
  readonly cpuMs: number;
}

const started = new WeakMap<ServerResponse, number>();
let handlingMs: Record<string, number[]> = {};
let connections = 0;
let cpu = process.cpuUsage();
subscribe("http.server.request.start", (message) => started.set((message as { response: ServerResponse }).response, performance.now()));
subscribe("http.server.response.finish", (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const t0 = started.get(response);
  if (t0 !== undefined && request.method === "POST") (handlingMs[request.url ?? ""] ??= []).push(performance.now() - t0);
});
subscribe("net.server.socket", () => {
  connections += 1;
});

function take(): ProcessStats {
  const used = process.cpuUsage(cpu);
  const stats = { handlingMs, connections, cpuMs: (used.user + used.system) / 1000 };
  handlingMs = {};
  connections = 0;
  cpu = process.cpuUsage();
  return stats;
}

const kc = new KubeConfig();
kc.loadFromFile(process.argv[2] ?? "");
const client = createKubeClient(kc);
const log = createLogger({ level: "warn" });
const informers = createInformerFactory(client, { log });
const port = await freePort();
const webhooks = await startOperatorWebhooks({
  config: { namespace: "aegis-system", webhookAddr: { host: "127.0.0.1", port }, webhookUrl: `https://127.0.0.1:${port}` },
  client, log, informers,
});
const stop = new AbortController();
await informers.start(stop.signal);

process.on("message", (message) => {
  if (message === "take") process.send?.(take());
});
process.on("disconnect", () => {
  stop.abort();
  void webhooks?.stop().finally(() => process.exit(0));
});
process.send?.({ port });
