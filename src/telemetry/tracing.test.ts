// Tracing in one process with the real SDK and exporter, sending OTLP/HTTP JSON to a local receiver.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../../test/helpers/otlp-receiver.ts";
import { eventually } from "../../test/helpers/eventually.ts";
import { SpanKind, inSpan, inStreamSpan, traceHeaders, traceRequest } from "./spans.ts";
import { childTraceEnv, contextFromEnv, startTracing, tracerFor, type Tracing } from "./tracing.ts";
import { context } from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe("tracing off (no OTLP endpoint)", () => {
  it("is a no-op: no headers, no pod variables, nothing started", async () => {
    const off = await startTracing("svc", { env: { OTEL_SERVICE_NAME: "svc" } });
    expect(off.enabled).toBe(false);
    await inSpan(tracerFor("svc"), "step", {}, async () => {
      expect(traceHeaders()).toEqual({});
      expect(childTraceEnv("child")).toEqual([]);
    });
  });
});

describe("tracing on", () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing("svc-main", { also: ["svc-side"], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "50" } });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await receiver?.stop();
  });

  it("exports spans of each service with their parents, propagating traceparent over real HTTP", async () => {
    expect(tracing.enabled).toBe(true);
    const server = createServer((req, res) => {
      void traceRequest(tracerFor("svc-side"), req, res, "/work", async () => {
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/work`;
    let handedOn: { name: string; value: string }[] = [];
    await inSpan(tracerFor("svc-main"), "launch", { attributes: { "aegis.iteration": 1 } }, async () => {
      handedOn = childTraceEnv("svc-child");
      await inSpan(tracerFor("svc-main"), "GET /work", { kind: SpanKind.CLIENT }, async () => {
        const headers = traceHeaders();
        expect(headers["traceparent"]).toMatch(TRACEPARENT);
        expect((await fetch(url, { headers })).status).toBe(200);
      });
    });
    server.close();

    // The pod's variables: the endpoint, its own service name and the launch span as its parent.
    const env = Object.fromEntries(handedOn.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "svc-child" });
    const [, traceId, launchId] = TRACEPARENT.exec(env["TRACEPARENT"] ?? "") ?? [];
    // A child's root continues it: TRACEPARENT in its environment becomes the parent.
    await context.with(contextFromEnv({ TRACEPARENT: env["TRACEPARENT"] }), () => inSpan(tracerFor("svc-main"), "child-root", {}, async () => undefined));

    const spans = await eventually(() => {
      const got = receiver.spans().filter((s) => s.traceId === traceId);
      expect(got.map((s) => s.name).sort()).toEqual(["GET /work", "GET /work", "child-root", "launch"]);
      return got;
    }, { timeoutMs: 10_000, message: "the trace's four spans exported" });
    const one = (name: string, kind: number) => spans.find((s) => s.name === name && s.kind === kind)!;
    const launch = one("launch", 1);
    expect(launch).toMatchObject({ service: "svc-main", spanId: launchId, parentSpanId: "", attributes: { "aegis.iteration": 1 } });
    expect(one("GET /work", 3)).toMatchObject({ service: "svc-main", parentSpanId: launch.spanId });
    expect(one("GET /work", 2)).toMatchObject({ service: "svc-side", parentSpanId: one("GET /work", 3).spanId, attributes: { "http.route": "/work", "http.response.status_code": 200 } });
    expect(one("child-root", 1).parentSpanId).toBe(launch.spanId);
  });

  it("records a failure by its type, never its message, and ends a stream's span when it is read", async () => {
    const secret = "sk-do-not-export";
    await expect(inSpan(tracerFor("svc-main"), "fails", {}, async () => {
      throw new TypeError(`bad key ${secret}`);
    })).rejects.toThrow(TypeError);
    const items = await inStreamSpan(tracerFor("svc-side"), "streamed", {}, async () => (async function* () {
      yield 1;
      yield 2;
    })());
    const read: number[] = [];
    for await (const item of items) read.push(item);
    expect(read).toEqual([1, 2]);
    const failed = await eventually(() => {
      const found = receiver.spans().filter((s) => s.name === "fails" || s.name === "streamed");
      expect(found).toHaveLength(2);
      return found.find((s) => s.name === "fails")!;
    }, { timeoutMs: 10_000, message: "both spans exported" });
    expect(failed).toMatchObject({ status: 2, attributes: { "error.type": "TypeError" } });
    expect(receiver.bodies().join("")).not.toContain(secret);
  });
});
