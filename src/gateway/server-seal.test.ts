// SEAL in the gateway over HTTP (docs/seal.md), with the real PostgreSQL and real Cedar policies:
// pods attest through an injected TokenReview, their calls travel as signed envelopes, and the
// attack table is refused with the documented codes and statuses, each refusal recorded (a
// SealRejected history event, a tool_calls deny for policy refusals).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory, type History } from "../history/index.ts";
import { createTestDatabase, type TestDatabase } from "../history/test-database.ts";
import { revisionOf } from "../policy/load.ts";
import { PolicyStore } from "../policy/store.ts";
import type { TokenReviewStatus } from "../seal/attest.ts";
import { encodeBase64url } from "../seal/base64url.ts";
import { httpStatus, type SealCode } from "../seal/codes.ts";
import { exportPublicJwk, generateKeyPair, type Ed25519KeyPair } from "../seal/keys.ts";
import { encodeEnvelope, signEnvelope } from "../seal/sign.ts";
import { issueToken } from "../seal/token.ts";
import { createGatewayClient } from "../agent-runtime/gateway-client.ts";
import { createCredentialRegistry, type ExecutionGrant } from "./credentials.ts";
import { createModelResolver } from "./resolve.ts";
import { createGatewaySeal, SEAL_AUDIENCE, SEAL_ISSUER, type PodFacts } from "./seal.ts";
import { startGateway, type Gateway } from "./server.ts";

const POLICY = `
@id("fs-in-workspace")
permit (principal, action == Action::"tool:invoke", resource in Tool::"fs.*")
when { context has path && (context.path == "/workspace" || context.path like "/workspace/*") };
@id("cmd-allowlist")
permit (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run")
when { context has command && context.command in [Command::"python", Command::"cat"] };
`;
const NS = "team-s";

let db: TestDatabase;
let history: History;
let gateway: Gateway;
let home: string;
let now = Date.UTC(2026, 10, 22, 12, 0, 0);
const clock = () => now;
const logLines: string[] = [];
const credentials = createCredentialRegistry();
const store = new PolicyStore();
const signingKey = { kid: "gw-1", ...generateKeyPair() };
/** SA token → what the fake API server's TokenReview says of it. */
const reviews = new Map<string, TokenReviewStatus>();
const pods = new Map<string, PodFacts>();
let reviewDown = false;

interface Pod {
  readonly grant: ExecutionGrant;
  readonly saToken: string;
  readonly keys: Ed25519KeyPair;
  token: string;
}

function podFor(execution: string, iteration = 1): Pod {
  const uid = `00000000-0000-4000-8000-${randomBytes(6).toString("hex")}`;
  const grant: ExecutionGrant = {
    token: `tok-${execution}-${randomBytes(8).toString("hex")}`, namespace: NS, execution, agent: "coder", uid, iteration,
    model: "smart", agentTools: ["fs.*", "cmd.run"], payload: { systemPrompt: "", task: "", tools: [] },
  };
  credentials.register(grant);
  const podName = `${execution}-${iteration}`;
  const podUid = `pod-${randomBytes(6).toString("hex")}`;
  pods.set(`${NS}/${podName}`, { uid: podUid, executionUid: uid, iteration });
  const saToken = `sa-${randomBytes(12).toString("hex")}`;
  reviews.set(saToken, {
    authenticated: true, audiences: [SEAL_AUDIENCE],
    user: { username: `system:serviceaccount:${NS}:default`, extra: { "authentication.kubernetes.io/pod-name": [podName], "authentication.kubernetes.io/pod-uid": [podUid] } },
  });
  return { grant, saToken, keys: generateKeyPair(), token: "" };
}

async function post(path: string, bearer: string | undefined, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${gateway.url}${path}`, {
    method: "POST", headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), "content-type": "application/json" }, body,
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function attestPod(pod: Pod, publicKey = pod.keys.publicKey): Promise<{ status: number; json: Record<string, unknown> }> {
  const answer = await post("/v1/seal/attest", undefined, JSON.stringify({ serviceAccountToken: pod.saToken, publicKey: exportPublicJwk(publicKey) }));
  if (answer.status === 200) pod.token = answer.json.token as string;
  return answer;
}

const envelope = (pod: Pod, payload: unknown, o: { route?: string; token?: string; key?: Ed25519KeyPair; at?: number; nonce?: string } = {}) =>
  encodeEnvelope(signEnvelope(payload, {
    route: o.route ?? "POST /v1/tool-calls", token: o.token ?? pod.token, privateKey: (o.key ?? pod.keys).privateKey, clock: () => o.at ?? now,
    ...(o.nonce ? { nonce: o.nonce } : {}),
  }));

const edit = (body: string, change: (e: Record<string, unknown>) => void): string => {
  const e = JSON.parse(body) as Record<string, unknown>;
  change(e);
  return JSON.stringify(e);
};

beforeAll(async () => {
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), "gateway-seal-test-"));
  const log = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
  history = await openHistory({ databaseUrl: db.url, home, log: pino({ level: "silent" }) });
  expect(store.update([{ name: `${NS}/policies/tools.cedar`, text: POLICY }]).ok).toBe(true);
  const seal = createGatewaySeal({
    signingKey, clock,
    tokenReview: (token, audiences) => {
      if (reviewDown) return Promise.reject(new Error("connection refused"));
      expect(audiences).toEqual([SEAL_AUDIENCE]);
      return Promise.resolve(reviews.get(token) ?? { authenticated: false, error: "invalid bearer token" });
    },
    podOf: (namespace, name) => Promise.resolve(pods.get(`${namespace}/${name}`)),
  }, (uid, iteration) => credentials.grantOf(uid, iteration));
  gateway = await startGateway({
    port: 0, history: history.store, resolver: createModelResolver({ nodeConfigs: () => [], readSecret: () => Promise.resolve(undefined) }),
    credentials, log, warmupMs: 0, policies: { forNamespace: () => store }, seal,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await history?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

const CALL = { seq: 1, name: "fs.read", arguments: { path: "/workspace/a.txt" } };

describe("SEAL in the gateway", () => {
  it("an attested pod's signed tool call, result and output are accepted and recorded", async () => {
    const pod = podFor("happy");
    expect((await attestPod(pod)).status).toBe(200);
    expect(await post("/v1/tool-calls", pod.grant.token, envelope(pod, CALL))).toMatchObject({ status: 200, json: { decision: "allow" } });
    expect((await post("/v1/tool-calls/1/result", pod.grant.token, envelope(pod, { ok: true, content: "hi", durationMs: 3 }, { route: "POST /v1/tool-calls/1/result" }))).status).toBe(204);
    expect((await post("/v1/output", pod.grant.token, envelope(pod, { output: "done" }, { route: "POST /v1/output" }))).status).toBe(204);
    expect((await history.store.toolCallsOf(pod.grant.uid, 1)).map((c) => [c.seq, c.toolName, c.decision, c.resultSummary])).toEqual([[1, "fs.read", "allow", "hi"]]);
    expect((await history.store.eventsOf(pod.grant.uid)).map((e) => e.type)).toEqual(["IterationOutput"]);
  });

  it("the runtime's gateway client attests, signs and re-attests once when its token expired", async () => {
    const pod = podFor("client");
    const file = join(home, "sa-token");
    await (await import("node:fs/promises")).writeFile(file, `${pod.saToken}\n`);
    const client = createGatewayClient({ baseUrl: gateway.url, token: pod.grant.token, seal: { saTokenFile: file, clock } });
    const signal = new AbortController().signal;
    await client.attest?.(signal);
    expect(await client.askToolCall({ seq: 1, name: "cmd.run", arguments: { command: "cat", args: ["a"] } }, signal)).toEqual({ decision: "allow" });
    await client.reportToolResult(1, { ok: true, content: "a", durationMs: 1 }, signal);
    now += 601_000;
    await client.postOutput({ output: "after expiry" }, signal);
    expect((await history.store.eventsOf(pod.grant.uid)).map((e) => [e.type, (e.payload as { code?: string }).code])).toEqual([["SealRejected", "TokenExpired"], ["IterationOutput", undefined]]);
  });

  interface Attack {
    readonly name: string;
    readonly code: SealCode;
    readonly send: (pod: Pod, other: Pod) => Promise<{ status: number; json: Record<string, unknown> }>;
  }
  const sendCall = (pod: Pod, body: string, route = "/v1/tool-calls") => post(route, pod.grant.token, body);
  const attacks: Attack[] = [
    { name: "forged signature", code: "BadSignature", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => (e.signature = encodeBase64url(randomBytes(64))))) },
    { name: "signed with the wrong key", code: "BadSignature", send: (p) => sendCall(p, envelope(p, CALL, { key: generateKeyPair() })) },
    { name: "tampered payload", code: "BadSignature", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => (e.payload = (e.payload as string).replace("a.txt", "b.txt")))) },
    { name: "a tool call replayed as its result", code: "BadSignature", send: (p) => sendCall(p, envelope(p, { ok: true, durationMs: 1 }), "/v1/tool-calls/1/result") },
    {
      name: "replayed nonce", code: "ReplayedNonce",
      send: async (p) => {
        const body = envelope(p, { ...CALL, seq: 40 });
        expect((await sendCall(p, body)).status).toBe(200);
        return sendCall(p, body);
      },
    },
    { name: "stale timestamp", code: "StaleTimestamp", send: (p) => sendCall(p, envelope(p, CALL, { at: now - 31_000 })) },
    { name: "future timestamp", code: "FutureTimestamp", send: (p) => sendCall(p, envelope(p, CALL, { at: now + 31_000 })) },
    {
      name: "expired token", code: "TokenExpired",
      send: (p) => {
        const expired = issueToken({ sub: `${NS}/coder`, scope: "tool-calls", execution: `${NS}/${p.grant.execution}`, iteration: 1, publicKey: p.keys.publicKey },
          { issuer: SEAL_ISSUER, audience: SEAL_AUDIENCE, ttlSeconds: 60, signingKey, clock: () => now - 61_000 }).token;
        return sendCall(p, envelope(p, CALL, { token: expired }));
      },
    },
    {
      name: "wrong audience", code: "WrongAudience",
      send: (p) => {
        const token = issueToken({ sub: `${NS}/coder`, scope: "tool-calls", execution: `${NS}/${p.grant.execution}`, iteration: 1, publicKey: p.keys.publicKey },
          { issuer: SEAL_ISSUER, audience: "someone-else", ttlSeconds: 600, signingKey, clock }).token;
        return sendCall(p, envelope(p, CALL, { token }));
      },
    },
    {
      name: "token signed by another gateway key", code: "BadTokenSignature",
      send: (p) => {
        const token = issueToken({ sub: `${NS}/coder`, scope: "tool-calls", execution: `${NS}/${p.grant.execution}`, iteration: 1, publicKey: p.keys.publicKey },
          { issuer: SEAL_ISSUER, audience: SEAL_AUDIENCE, ttlSeconds: 600, signingKey: { kid: "gw-1", privateKey: generateKeyPair().privateKey }, clock }).token;
        return sendCall(p, envelope(p, CALL, { token }));
      },
    },
    { name: "a token of another execution (with this execution's bearer)", code: "TokenForAnotherExecution", send: (p, other) => sendCall(p, envelope(other, CALL)) },
    {
      name: "oversized payload", code: "PayloadTooLarge",
      send: (p) => sendCall(p, envelope(p, { ...CALL, arguments: { path: "/workspace/a.txt", pad: "x".repeat(1024 * 1024) } })),
    },
    { name: "malformed JSON", code: "MalformedEnvelope", send: (p) => sendCall(p, "{\"token\": ") },
    { name: "missing fields", code: "MissingField", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => delete e.nonce)) },
    { name: "a plain body without an envelope", code: "MissingField", send: (p) => sendCall(p, JSON.stringify(CALL)) },
    { name: "an unknown envelope member", code: "MalformedEnvelope", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => (e.extra = 1))) },
    { name: "non-canonical payload", code: "NonCanonicalPayload", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => (e.payload = JSON.stringify(CALL, null, 1)))) },
    { name: "token alg none", code: "UnsupportedTokenAlgorithm", send: (p) => sendCall(p, edit(envelope(p, CALL), (e) => (e.token = `${encodeBase64url(Buffer.from('{"alg":"none","typ":"JWT"}'))}.${(e.token as string).split(".")[1]}.`))) },
  ];

  it.each(attacks)("refuses: $name → $code", async (attack) => {
    const pod = podFor(`atk-${randomBytes(3).toString("hex")}`);
    const other = podFor(`oth-${randomBytes(3).toString("hex")}`);
    expect((await attestPod(pod)).status).toBe(200);
    expect((await attestPod(other)).status).toBe(200);
    const answer = await attack.send(pod, other);
    expect(answer).toMatchObject({ status: httpStatus(attack.code), json: { code: attack.code } });
    // Recorded: a SealRejected event of the pod's own execution, and a log line.
    const events = await history.store.eventsOf(pod.grant.uid);
    expect(events.filter((e) => e.type === "SealRejected").map((e) => (e.payload as { code: string }).code)).toEqual([attack.code]);
    expect(logLines.some((l) => l.includes(pod.grant.execution) && l.includes(`"code":"${attack.code}"`))).toBe(true);
    // Nothing of the refused call reached the tool-call history.
    expect((await history.store.toolCallsOf(pod.grant.uid, 1)).filter((c) => c.seq !== 40)).toEqual([]);
  });

  it("signed calls Cedar denies are tool errors recorded with the revision: a tool not allowed, ../, an absolute path outside, a command outside the allowlist, a policy swapped mid-run", async () => {
    const pod = podFor("policy");
    expect((await attestPod(pod)).status).toBe(200);
    const ask = async (seq: number, name: string, args: unknown) => (await sendCall(pod, envelope(pod, { seq, name, arguments: args }))).json;
    const revision = revisionOf([{ name: `${NS}/policies/tools.cedar`, text: POLICY }]);
    expect(await ask(1, "web.fetch", { url: "https://example.com" })).toMatchObject({ decision: "deny", code: "ToolNotAllowed" });
    expect(await ask(2, "fs.read", { path: "../../etc/passwd" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await ask(3, "fs.read", { path: "/etc/shadow" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await ask(4, "cmd.run", { command: "curl", args: ["http://evil"] })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await ask(5, "cmd.run", { command: "python" })).toMatchObject({ decision: "allow" });
    const swapped = [{ name: `${NS}/policies/tools.cedar`, text: POLICY }, { name: `${NS}/policies/no-python.cedar`, text: '@id("no-python")\nforbid (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run") when { context has command && context.command == Command::"python" };' }];
    expect(store.update(swapped).ok).toBe(true);
    try {
      expect(await ask(6, "cmd.run", { command: "python" })).toMatchObject({ decision: "deny", code: "PolicyDenied", policyRevision: revisionOf(swapped) });
    } finally {
      store.update([{ name: `${NS}/policies/tools.cedar`, text: POLICY }]);
    }
    const calls = await history.store.toolCallsOf(pod.grant.uid, 1);
    expect(calls.map((c) => [c.seq, c.decision, c.policyRevision])).toEqual([
      [1, "deny", null], [2, "deny", revision], [3, "deny", revision], [4, "deny", revision], [6, "deny", revisionOf(swapped)],
    ]);
  });

  describe("attestation", () => {
    const attestBody = (saToken: unknown, publicKey: unknown) => post("/v1/seal/attest", undefined, JSON.stringify({ serviceAccountToken: saToken, publicKey }));
    const jwk = () => exportPublicJwk(generateKeyPair().publicKey);
    const refusals: { name: string; code: SealCode; send: () => Promise<{ status: number; json: Record<string, unknown> }> }[] = [
      { name: "no service-account token", code: "InvalidAttestationRequest", send: () => attestBody("", jwk()) },
      { name: "a JWK with a private member", code: "InvalidAttestationRequest", send: () => attestBody("sa-x", { ...jwk(), d: encodeBase64url(randomBytes(32)) }) },
      { name: "an unauthenticated token", code: "WorkloadNotAuthenticated", send: () => attestBody("sa-unknown", jwk()) },
      {
        name: "a token for another audience", code: "WrongAudience",
        send: () => {
          reviews.set("sa-aud", { authenticated: true, audiences: ["https://kubernetes.default.svc"], user: { username: `system:serviceaccount:${NS}:default` } });
          return attestBody("sa-aud", jwk());
        },
      },
      {
        name: "a legacy (not pod-bound) token", code: "WorkloadNotPodBound",
        send: () => {
          reviews.set("sa-legacy", { authenticated: true, audiences: [SEAL_AUDIENCE], user: { username: `system:serviceaccount:${NS}:default` } });
          return attestBody("sa-legacy", jwk());
        },
      },
      {
        name: "a pod that runs no iteration", code: "UnknownWorkload",
        send: () => {
          reviews.set("sa-stray", { authenticated: true, audiences: [SEAL_AUDIENCE], user: { username: `system:serviceaccount:${NS}:default`, extra: { "authentication.kubernetes.io/pod-name": ["stray"], "authentication.kubernetes.io/pod-uid": ["u"] } } });
          return attestBody("sa-stray", jwk());
        },
      },
      {
        name: "a second key for the same pod", code: "UnknownWorkload",
        send: async () => {
          const pod = podFor("twice");
          expect((await attestPod(pod)).status).toBe(200);
          expect((await attestPod(pod)).status).toBe(200);
          return attestPod(pod, generateKeyPair().publicKey);
        },
      },
      {
        name: "TokenReview unavailable (fails closed)", code: "TokenReviewFailed",
        send: async () => {
          reviewDown = true;
          try {
            return await attestPod(podFor("down"));
          } finally {
            reviewDown = false;
          }
        },
      },
    ];
    it.each(refusals)("refuses: $name → $code (logged)", async ({ code, send }) => {
      const before = logLines.length;
      expect(await send()).toMatchObject({ status: httpStatus(code), json: { code } });
      expect(logLines.slice(before).some((l) => l.includes("refused a SEAL attestation") && l.includes(`"code":"${code}"`))).toBe(true);
    });

    it("a finished iteration's pod can no longer attest", async () => {
      const pod = podFor("finished");
      credentials.finish(pod.grant.token);
      expect(await attestPod(pod)).toMatchObject({ status: 403, json: { code: "UnknownWorkload" } });
    });
  });
});
