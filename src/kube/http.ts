/**
 * The one HTTP transport to the API server: node:https with the credentials of a KubeConfig
 * (client-node's `applyToHTTPSOptions`: CA, client certificate, bearer token, exec plugins).
 * Every failure leaves here as a KubeApiError (see translate.ts). Raw HTTP rather than
 * client-node's generated APIs because we need the status code, the Status body and
 * Retry-After of every failure, and a line stream for watches.
 */
import * as http from "node:http";
import * as https from "node:https";
import { createInterface } from "node:readline";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiError } from "./errors.ts";
import { fromHttp, translateError } from "./translate.ts";

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, e.g. "/api/v1/namespaces/ns/pods?limit=10". */
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Give up when no byte arrived for this long (ms). */
  readonly idleTimeoutMs?: number;
}

export interface Transport {
  /** Sends a request and returns its parsed JSON body; throws KubeApiError on any failure. */
  json<T>(request: HttpRequest): Promise<T>;
  /**
   * Streams a response line by line. Resolves when the server ends it or the signal aborts;
   * rejects with a KubeApiError on failure, or with what `onLine` threw.
   */
  lines(request: HttpRequest, onLine: (line: string) => void): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** What the API server and its audit log see of us; also the default field manager ("aegis-operator"). */
const USER_AGENT = "aegis-operator/v1alpha1 (node)";

/** A request that failed before any answer on a reused keep-alive connection. */
class StaleConnectionError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

interface Opened {
  readonly request: http.ClientRequest;
  readonly response: http.IncomingMessage;
  /** Restarts the idle timer (on every chunk). */
  readonly touch: () => void;
  readonly done: () => void;
}

export function createTransport(kc: KubeConfig, options: { timeoutMs?: number } = {}): Transport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One keep-alive agent per transport: client-node's own agent does not keep connections
  // alive, and a TLS handshake per call would cap the operator's write rate.
  let agent: https.Agent | undefined;

  async function requestOptions(): Promise<{ url: URL; options: https.RequestOptions }> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError("BadRequest", 0, "The kubeconfig has no current cluster");
    const options: https.RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(options);
    const url = new URL(cluster.server.replace(/\/+$/, ""));
    if (url.protocol === "http:") delete options.agent;
    else if (!cluster.proxyUrl) {
      agent ??= new https.Agent({
        keepAlive: true, ca: options.ca, cert: options.cert, key: options.key,
        ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
        ...(options.servername === undefined ? {} : { servername: options.servername }),
      });
      options.agent = agent;
    }
    return { url, options };
  }

  async function open(req: HttpRequest): Promise<Opened> {
    const { url, options } = await requestOptions();
    const target = new URL(url.pathname.replace(/\/$/, "") + req.path, url);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    // The API server names writers without a fieldManager after the User-Agent's first word (as for client-go).
    const headers: http.OutgoingHttpHeaders = { "User-Agent": USER_AGENT, ...(options.headers as http.OutgoingHttpHeaders | undefined), Accept: "application/json" };
    if (body) {
      headers["Content-Type"] = req.contentType ?? "application/json";
      headers["Content-Length"] = body.length;
    }
    const idleMs = req.idleTimeoutMs ?? timeoutMs;
    return new Promise<Opened>((resolve, reject) => {
      const send = target.protocol === "http:" ? http.request : https.request;
      const request = send(target, { ...options, method: req.method, headers, ...(req.signal ? { signal: req.signal } : {}) });
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => clearTimeout(timer);
      const touch = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => request.destroy(Object.assign(new Error(`No answer from the API server for ${idleMs} ms`), { code: "ETIMEDOUT" })), idleMs);
        timer.unref();
      };
      touch();
      request.on("error", (err) => {
        done();
        const reset = ["ECONNRESET", "EPIPE"].includes((err as NodeJS.ErrnoException).code ?? "");
        reject(request.reusedSocket && reset ? new StaleConnectionError(err) : err);
      });
      request.on("response", (response) => resolve({ request, response, touch, done }));
      request.end(body);
    });
  }

  async function readAll(opened: Opened): Promise<string> {
    const chunks: Buffer[] = [];
    return new Promise<string>((resolve, reject) => {
      opened.response.on("data", (chunk: Buffer) => {
        opened.touch();
        chunks.push(chunk);
      });
      opened.response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      opened.response.on("error", reject);
      opened.request.on("error", reject);
    }).finally(opened.done);
  }

  const failure = (opened: Opened, text: string): KubeApiError =>
    fromHttp({ status: opened.response.statusCode ?? 0, body: text, headers: opened.response.headers });

  return {
    async json<T>(req: HttpRequest): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          const opened = await open(req);
          const text = await readAll(opened);
          if ((opened.response.statusCode ?? 0) >= 300) throw failure(opened, text);
          return (text === "" ? {} : JSON.parse(text)) as T;
        } catch (err) {
          // A kept-alive connection the server closed meanwhile (it restarted, say) fails before
          // any answer: the request never arrived, so send it again once on a fresh connection.
          // Not a POST: had it arrived after all, a second create would report AlreadyExists.
          if (err instanceof StaleConnectionError && attempt === 1 && req.method !== "POST" && !req.signal?.aborted) continue;
          throw translateError(err instanceof StaleConnectionError ? err.cause : err);
        }
      }
    },

    async lines(req: HttpRequest, onLine: (line: string) => void): Promise<void> {
      let opened: Opened;
      try {
        opened = await open(req);
        if (opened.response.statusCode !== 200) throw failure(opened, await readAll(opened));
      } catch (err) {
        if (req.signal?.aborted) return;
        throw translateError(err);
      }
      const { request, response } = opened;
      let thrown: { error: unknown } | undefined;
      const reader = createInterface({ input: response, crlfDelay: Infinity });
      response.on("data", opened.touch);
      reader.on("line", (line) => {
        if (thrown || line.trim() === "") return;
        try {
          onLine(line);
        } catch (error) {
          thrown = { error };
          request.destroy();
        }
      });
      try {
        await new Promise<void>((resolve, reject) => {
          reader.on("close", resolve);
          reader.on("error", reject); // readline re-emits the response's errors
          response.on("error", reject);
          request.on("error", reject);
          response.on("aborted", () => reject(Object.assign(new Error("The API server closed the stream"), { code: "ECONNRESET" })));
        });
      } catch (err) {
        if (!thrown && !req.signal?.aborted) throw translateError(err);
      } finally {
        opened.done();
        // Late errors of a stream we are done with (a reset while closing) must not go unhandled.
        const ignore = (): void => undefined;
        response.on("error", ignore);
        reader.on("error", ignore);
        request.on("error", ignore);
        request.destroy();
      }
      if (thrown) throw thrown.error;
    },
  };
}
