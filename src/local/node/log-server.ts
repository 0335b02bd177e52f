/**
 * The kubelet HTTPS API, as much of it as `kubectl logs` needs: the API server calls
 * `GET /containerLogs/{namespace}/{pod}/{container}` (query: follow, tailLines, timestamps,
 * sinceSeconds, sinceTime, limitBytes, previous) with its kubelet-client certificate, which is
 * verified against `clientCA` when one is given. Also `GET /healthz`.
 */
import { open, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { formatEntry, parseEntry, parseLogQuery, selectEntries, type LogEntry, type LogQuery } from "./log-format.ts";

export interface LogSource {
  /** The uid of a pod on this node and whether it has that container; undefined if not found. */
  findPod(namespace: string, name: string): Promise<{ uid: string; containers: string[] } | undefined>;
  logPath(uid: string, container: string, previous: boolean): string;
  isRunning(uid: string, container: string): boolean;
}

export interface LogServerOptions {
  cert: string;
  key: string;
  clientCA?: string | undefined;
  port: number;
  source: LogSource;
  log: Logger;
  /** How often a follow looks for new output. */
  pollMs?: number;
}

function reply(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text);
}

class ByteBudget {
  private left: number;
  constructor(limit: number | undefined) {
    this.left = limit ?? Number.POSITIVE_INFINITY;
  }
  /** Writes what fits; false once the budget is spent. */
  write(res: ServerResponse, text: string): boolean {
    if (this.left <= 0) return false;
    const buf = Buffer.from(text);
    const part = buf.length <= this.left ? buf : buf.subarray(0, this.left);
    this.left -= part.length;
    res.write(part);
    return this.left > 0;
  }
}

async function streamLogs(req: IncomingMessage, res: ServerResponse, file: string, query: LogQuery, stillRunning: () => boolean, pollMs: number): Promise<void> {
  const budget = new ByteBudget(query.limitBytes);
  let closed = false;
  req.on("close", () => {
    closed = true;
  });
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Transfer-Encoding": "chunked" });
  const text = await readFile(file, "utf8").catch(() => "");
  const complete = text.lastIndexOf("\n") + 1;
  let offset = Buffer.byteLength(text.slice(0, complete));
  const entries = text
    .slice(0, complete)
    .split("\n")
    .map(parseEntry)
    .filter((e): e is LogEntry => e !== undefined);
  for (const e of selectEntries(entries, query)) if (!budget.write(res, formatEntry(e, query.timestamps))) return void res.end();
  if (!query.follow) return void res.end();
  const handle = await open(file, "r").catch(() => undefined);
  try {
    let rest = "";
    for (;;) {
      if (closed) return;
      const running = stillRunning();
      const size = handle ? (await handle.stat()).size : 0;
      if (handle && size > offset) {
        const buf = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
        offset += bytesRead;
        const lines = (rest + buf.subarray(0, bytesRead).toString("utf8")).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) {
          const e = parseEntry(line);
          if (e && (!query.since || e.time >= query.since) && !budget.write(res, formatEntry(e, query.timestamps))) return void res.end();
        }
        continue;
      }
      if (!running) return void res.end();
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await handle?.close();
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: LogServerOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "https://localhost");
  if (req.method !== "GET") return reply(res, 405, "method not allowed");
  if (url.pathname === "/healthz") return reply(res, 200, "ok");
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (!m) return reply(res, 404, "404 page not found");
  const [namespace, name, container] = [m[1], m[2], m[3]].map((s) => decodeURIComponent(s ?? ""));
  if (!namespace || !name || !container) return reply(res, 404, "404 page not found");
  const parsed = parseLogQuery(url.searchParams, new Date());
  if (!parsed.ok) return reply(res, 400, parsed.message);
  const query = parsed.query;
  const pod = await opts.source.findPod(namespace, name);
  if (!pod) return reply(res, 404, `pod ${namespace}/${name} not found on this node`);
  if (!pod.containers.includes(container)) return reply(res, 400, `container ${container} is not valid for pod ${name}`);
  const file = opts.source.logPath(pod.uid, container, query.previous);
  const exists = await stat(file).then(() => true, () => false);
  if (!exists) {
    const what = query.previous ? `previous terminated container "${container}" in pod "${name}" not found` : `container "${container}" in pod "${name}" is waiting to start`;
    return reply(res, 400, what);
  }
  const running = (): boolean => !query.previous && opts.source.isRunning(pod.uid, container);
  await streamLogs(req, res, file, query, running, opts.pollMs ?? 200);
}

/** Starts the server on 127.0.0.1; resolves with the port once it listens. */
export async function startLogServer(opts: LogServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer({
    cert: opts.cert,
    key: opts.key,
    ...(opts.clientCA ? { ca: opts.clientCA, requestCert: true, rejectUnauthorized: true } : {}),
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, opts).catch((err: unknown) => {
      opts.log.warn({ err: (err as Error).message, url: req.url }, "A kubelet API request failed");
      if (!res.headersSent) reply(res, 500, (err as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
