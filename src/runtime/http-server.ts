/**
 * A tiny HTTP server for probes and metrics: fixed routes, GET only, no framework. Port 0 binds
 * a free port; the bound address is returned (and logged by the manager) so tests can find it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Address } from "../config/schema.ts";

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

export type Routes = Readonly<Record<string, () => Reply | Promise<Reply>>>;

export interface Serving {
  /** "host:port" as bound. */
  readonly address: string;
  close(): Promise<void>;
}

export async function serve(addr: Address, routes: Routes): Promise<Serving> {
  const server: Server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (!route || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(route ? 405 : 404, { "content-type": "text/plain" }).end(route ? "method not allowed\n" : "not found\n");
      return;
    }
    Promise.resolve()
      .then(route)
      .then(
        (reply) => res.writeHead(reply.status, { "content-type": reply.contentType ?? "text/plain; charset=utf-8" }).end(reply.body),
        (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(err)}\n`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host === "" ? undefined : addr.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    address: `${host}:${bound.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
