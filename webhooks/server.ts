/**
 * I/O: the HTTPS server the API server calls. POST /validate/<kind> and /mutate/<kind> with an
 * AdmissionReview; GET /healthz for probes. Bodies are bounded, every request has a 5 s budget
 * (the webhooks' timeoutSeconds), and any failure is an answer, never a crash.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { admit, routeOf, type AdmitOptions } from "./admission.ts";
import { observeAdmission, type WebhookMetrics } from "./metrics.ts";
import { admitPolicyConfigMap, POLICY_CONFIGMAP_PATH, type PolicyConfigMapContext } from "./policy-configmap.ts";

/** An AdmissionReview holds the object and the old object (each ≤ 1.5 MiB in etcd). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 5_000;
/**
 * Longer than the API server keeps an idle webhook connection (Go's IdleConnTimeout, 90 s), so
 * the client always closes first. With Node's default (5 s plus a 1 s buffer) the server closed
 * connections the API server was about to reuse: the call failed ("write: broken pipe"), and
 * failurePolicy Fail made that a refused write (seen by bench/policy/admission-round-trip.ts).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;

export interface WebhookServer {
  readonly port: number;
  /** Serves new certificates from the next TLS handshake on. */
  setCertificates(cert: string, key: string): void;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly cert: string;
  readonly key: string;
  readonly log?: Pick<Logger, "warn">;
  readonly policies?: AdmitOptions["policies"];
  /** What the Agent, Execution and Swarm checks look up (runtime registry, parents, swarms). */
  readonly lookup?: AdmitOptions["lookup"];
  /** The ConfigMaps policy ConfigMaps are checked with; absent, each is checked alone. */
  readonly policyConfigMaps?: PolicyConfigMapContext;
  /** Admission latency by kind, operation and verdict (docs/metrics.md); absent, not measured. */
  readonly metrics?: WebhookMetrics;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Drain and drop the rest, so the 413 reaches the caller instead of a reset.
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, { log, policies, lookup, policyConfigMaps, metrics }: ListenOptions): Promise<void> {
  const started = performance.now();
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (req.method === "GET" && path === "/healthz") return send(res, 200, { status: "ok" });
  const route = path === POLICY_CONFIGMAP_PATH ? "policy-configmap" : routeOf(path);
  if (route === undefined) return send(res, 404, { message: `no webhook at ${path}` });
  if (req.method !== "POST") return send(res, 405, { message: "use POST" });
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, { message: `body exceeds ${MAX_BODY_BYTES} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return send(res, 400, { message: "body is not JSON" });
  }
  const answer = route === "policy-configmap"
    ? admitPolicyConfigMap(json, policyConfigMaps)
    : admit(route.mode, route.kind, json, { ...(policies !== undefined ? { policies } : {}), ...(lookup !== undefined ? { lookup } : {}) });
  if (answer.status !== 200) log?.warn({ path, status: answer.status }, "Rejected a malformed admission request");
  send(res, answer.status, answer.body);
  observeAdmission(metrics, route === "policy-configmap" ? { mode: "validate", kind: "ConfigMap" } : route, json, answer, (performance.now() - started) / 1000);
}

export function listenWebhooks(options: ListenOptions): Promise<WebhookServer> {
  const server: Server = createServer({ cert: options.cert, key: options.key, minVersion: "TLSv1.2" }, (req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      // The API server treats a 500 as a failed call: with failurePolicy Fail that denies.
      options.log?.warn({ err }, "Admission request failed");
      if (!res.headersSent) send(res, 500, { message: "internal error" });
      else res.destroy();
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        setCertificates: (cert, key) => server.setSecureContext({ cert, key, minVersion: "TLSv1.2" }),
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          // The API server keeps connections alive; closing them makes "stopped" mean stopped.
          server.closeAllConnections();
        }),
      });
    });
  });
}
