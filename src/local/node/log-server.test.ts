import { request } from "node:https";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEntry } from "./log-format.ts";
import { startLogServer } from "./log-server.ts";
import { selfSignedServingCert } from "./tls.ts";

const line = (content: string, s = 0): string => encodeEntry({ time: new Date(Date.UTC(2026, 0, 1, 0, 0, s)), stream: "stdout", partial: false, content });

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, rejectUnauthorized: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the kubelet log API", () => {
  let dir: string;
  let running = true;
  let server: Awaited<ReturnType<typeof startLogServer>>;
  let tls: { cert: string; key: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aegis-log-server-"));
    await writeFile(join(dir, "main.log"), line("one", 1) + line("two", 2) + line("three", 3));
    tls = await selfSignedServingCert("aegis-local");
    server = await startLogServer({
      ...tls,
      port: 0,
      log: pino({ level: "silent" }),
      pollMs: 20,
      source: {
        findPod: async (ns, name) => (ns === "ns" && name === "p" ? { uid: "u", containers: ["main", "idle"] } : undefined),
        logPath: (_uid, container, previous) => join(dir, `${container}${previous ? ".previous" : ""}.log`),
        isRunning: () => running,
      },
    });
  });
  afterAll(async () => {
    server.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers /healthz", async () => {
    expect(await get(server.port, "/healthz")).toEqual({ status: 200, body: "ok" });
  });

  it.each([
    ["", "one\ntwo\nthree\n"],
    ["?tailLines=1", "three\n"],
    ["?limitBytes=6", "one\ntw"],
    ["?timestamps=true&tailLines=1", "2026-01-01T00:00:03.000Z three\n"],
  ])("serves the log with query %j", async (query, body) => {
    expect(await get(server.port, `/containerLogs/ns/p/main${query}`)).toEqual({ status: 200, body });
  });

  it.each([
    ["/containerLogs/ns/other/main", 404],
    ["/containerLogs/ns/p/nope", 400],
    ["/containerLogs/ns/p/idle", 400],
    ["/containerLogs/ns/p/main?previous=true", 400],
    ["/containerLogs/ns/p/main?tailLines=x", 400],
    ["/nothing", 404],
  ])("answers %s with %i", async (path, status) => {
    expect((await get(server.port, path)).status).toBe(status);
  });

  it("follows until the container stops running", async () => {
    running = true;
    const chunks: string[] = [];
    let firstChunk: () => void = () => undefined;
    const gotFirst = new Promise<void>((r) => (firstChunk = r));
    const done = new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: "/containerLogs/ns/p/main?follow=true&tailLines=1", rejectUnauthorized: false }, (res) => {
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          chunks.push(c);
          firstChunk();
        });
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
    await gotFirst; // the tail is out: from here on the server is following
    await appendFile(join(dir, "main.log"), line("four", 4));
    await expect.poll(() => chunks.join("")).toBe("three\nfour\n");
    running = false;
    expect(await done).toBe(200);
    expect(chunks.join("")).toBe("three\nfour\n");
  });

  it("refuses clients without a certificate when a client CA is set", async () => {
    const strict = await startLogServer({ ...tls, clientCA: tls.cert, port: 0, log: pino({ level: "silent" }), source: { findPod: async () => undefined, logPath: () => "", isRunning: () => false } });
    try {
      await expect(get(strict.port, "/healthz")).rejects.toThrow();
    } finally {
      strict.server.close();
    }
  });
});
