import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGatewayClient, retryDelay } from "./gateway-client.ts";
import { GatewayError } from "./gateway-errors.ts";

const ITERATION = { execution: "e", namespace: "n", iteration: 1, model: "smart" };
let server: Server | undefined;

/** A gateway that answers the scripted statuses in turn, then 200 with the iteration. */
async function gatewayAnswering(statuses: number[]): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  server = createServer((_req, res) => {
    const status = statuses[calls++];
    if (status === undefined) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ITERATION));
    else res.writeHead(status, { "retry-after": "0" }).end("{}");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls };
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("gateway client retries", () => {
  it("waits through 503s (an operator restarting) and gets the answer", async () => {
    const gw = await gatewayAnswering([503, 503]);
    const client = createGatewayClient({ baseUrl: gw.url, token: "t", retryDelayMs: 1 });
    await expect(client.iteration(new AbortController().signal)).resolves.toMatchObject({ execution: "e" });
    expect(gw.calls()).toBe(3);
  });

  it("never retries a 401 or a 500", async () => {
    for (const status of [401, 500]) {
      const gw = await gatewayAnswering([status]);
      const client = createGatewayClient({ baseUrl: gw.url, token: "t", retryDelayMs: 1 });
      await expect(client.iteration(new AbortController().signal)).rejects.toMatchObject({ status });
      expect(gw.calls()).toBe(1);
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    }
  });

  it("gives up once the window is spent", async () => {
    const gw = await gatewayAnswering(Array.from({ length: 1000 }, () => 503));
    // Delays 5, 10, 20, 40, 40… ms: about 11 calls fit 300 ms however fast the gateway answers; a slow first call on a busy machine still leaves room for a retry.
    const client = createGatewayClient({ baseUrl: gw.url, token: "t", retryDelayMs: 5, retryWindowMs: 300 });
    await expect(client.iteration(new AbortController().signal)).rejects.toMatchObject({ code: "HttpError", status: 503 });
    expect(gw.calls()).toBeGreaterThan(1);
    expect(gw.calls()).toBeLessThan(20);
  });

  it("retries a refused connection until the gateway comes back", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = createGatewayClient({ baseUrl: `http://127.0.0.1:${port}`, token: "t", retryDelayMs: 20 });
    const pending = client.iteration(new AbortController().signal);
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ITERATION)));
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    await expect(pending).resolves.toMatchObject({ iteration: 1 });
  });

  it("retryDelay: backs off, honours Retry-After within a cap, and refuses other failures", () => {
    const net = new GatewayError("Network", "GET /x", "refused");
    expect([1, 2, 3, 4, 10].map((a) => retryDelay(net, a, 250))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(retryDelay(new GatewayError("HttpError", "GET /x", "busy", { status: 503, retryAfterMs: 3000 }), 1, 250)).toBe(3000);
    expect(retryDelay(new GatewayError("HttpError", "GET /x", "busy", { status: 503, retryAfterMs: 60_000 }), 1, 250)).toBe(5000);
    expect(retryDelay(new GatewayError("HttpError", "GET /x", "bad", { status: 400 }), 1, 250)).toBeUndefined();
    expect(retryDelay(new GatewayError("Unauthorized", "GET /x", "no", { status: 401 }), 1, 250)).toBeUndefined();
    expect(retryDelay(new Error("x"), 1, 250)).toBeUndefined();
  });
});
