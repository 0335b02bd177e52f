import { Agent, request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificates } from "./certs/issue.ts";
import { listenWebhooks, MAX_BODY_BYTES, type WebhookServer } from "./server.ts";

let server: WebhookServer;
let ca: string;

function call(path: string, body: string | Buffer, method = "POST", trust = ca): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method, ca: trust, agent: false, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const review = JSON.stringify({
  apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview",
  request: { uid: "u", kind: { group: "aegis.dev", version: "v1alpha1", kind: "Agent" }, operation: "CREATE", object: { spec: { runtime: {}, task: { instruction: "x" } } } },
});

describe("the webhook server", () => {
  beforeAll(async () => {
    const issued = await issueCertificates({ hosts: ["127.0.0.1"], now: new Date(), validityMs: 3_600_000 });
    ca = issued.caCert;
    server = await listenWebhooks({ host: "127.0.0.1", port: 0, cert: issued.tlsCert, key: issued.tlsKey });
  });
  afterAll(() => server.close());

  it("answers an AdmissionReview over TLS", async () => {
    const res = await call("/validate/agent", review);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response: { uid: "u", allowed: false, status: { message: expect.stringMatching(/^spec\.runtime: /) as unknown } } });
  });

  it.each([
    { why: "not JSON", path: "/validate/agent", body: "{", status: 400 },
    { why: "no request", path: "/mutate/agent", body: "{}", status: 400 },
    { why: "an unknown path", path: "/validate/pod", body: review, status: 404 },
    { why: "too large", path: "/validate/agent", body: Buffer.alloc(MAX_BODY_BYTES + 1, 32), status: 413 },
  ])("refuses a body that is $why and keeps serving", async ({ path, body, status }) => {
    expect((await call(path, body)).status).toBe(status);
    expect((await call("/healthz", "", "GET")).status).toBe(200);
  });

  it("keeps an idle connection open past Node's default (5 s + 1 s buffer), so the API server's reuse does not hit a closing socket", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca });
    const get = () => new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: "/healthz", agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      });
      req.on("error", reject);
      req.end();
    });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_500));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 15_000);

  it("serves new certificates after setCertificates", async () => {
    const next = await issueCertificates({ hosts: ["127.0.0.1"], now: new Date(), validityMs: 3_600_000 });
    server.setCertificates(next.tlsCert, next.tlsKey);
    await expect(call("/healthz", "", "GET")).rejects.toThrow();
    expect((await call("/healthz", "", "GET", next.caCert)).status).toBe(200);
    ca = next.caCert;
  });
});
