// SEAL in the gateway over HTTP (docs/seal.md), with the real PostgreSQL and real Cedar policies:
// pods attest through an injected TokenReview, their calls travel as signed envelopes, and the
// attack table (test-seal-attacks.ts, shared with test/integration/seal-attacks.int.test.ts) is
// refused with the documented codes and statuses, each refusal recorded (a SealRejected history
// event, a tool_calls deny for policy refusals).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
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
import { exportPublicJwk, generateKeyPair } from "../seal/keys.ts";
import { createGatewayClient } from "../agent-runtime/gateway-client.ts";
import { createCredentialRegistry, type ExecutionGrant } from "./credentials.ts";
import { createModelResolver } from "./resolve.ts";
import {
  ATTACK_AGENT_TOOLS, ATTACK_POLICY, envelope, playAttack, post as postTo, SEAL_ATTACKS, type Answer, type AttackHarness, type AttackPod,
} from "./test-seal-attacks.ts";
import { createGatewaySeal, SEAL_AUDIENCE, type PodFacts, type SealSigningKey } from "./seal.ts";
import { startGateway, type Gateway } from "./server.ts";

const NS = "team-s";
const BASE_POLICIES = [{ name: `${NS}/policies/tools.cedar`, text: ATTACK_POLICY }];

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

interface Pod extends AttackPod {
  readonly saToken: string;
}

function podFor(execution: string, iteration = 1): Pod {
  const uid = `00000000-0000-4000-8000-${randomBytes(6).toString("hex")}`;
  const grant: ExecutionGrant = {
    token: `tok-${execution}-${randomBytes(8).toString("hex")}`, namespace: NS, execution, agent: "coder", uid, iteration,
    model: "smart", agentTools: ATTACK_AGENT_TOOLS, payload: { systemPrompt: "", task: "", tools: [] },
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
  return { namespace: NS, execution, uid, iteration, bearer: grant.token, saToken, keys: generateKeyPair(), token: "" };
}

const post = (path: string, bearer: string | undefined, body: string) => postTo(gateway.url, path, bearer, body);

async function attestPod(pod: Pod, publicKey = pod.keys.publicKey): Promise<Answer> {
  const answer = await post("/v1/seal/attest", undefined, JSON.stringify({ serviceAccountToken: pod.saToken, publicKey: exportPublicJwk(publicKey) }));
  if (answer.status === 200) pod.token = answer.json.token as string;
  return answer;
}

const signed = (pod: Pod, payload: unknown, route = "POST /v1/tool-calls") => envelope(pod, payload, now, { route });

/** A gateway on `port` (0: any) signing with `key`, over this file's fake API server, history and policies. */
function startSealGateway(key: SealSigningKey, port = 0): Promise<Gateway> {
  const seal = createGatewaySeal({
    signingKey: key, clock,
    tokenReview: (token, audiences) => {
      if (reviewDown) return Promise.reject(new Error("connection refused"));
      expect(audiences).toEqual([SEAL_AUDIENCE]);
      return Promise.resolve(reviews.get(token) ?? { authenticated: false, error: "invalid bearer token" });
    },
    podOf: (namespace, name) => Promise.resolve(pods.get(`${namespace}/${name}`)),
  }, (uid, iteration) => credentials.grantOf(uid, iteration));
  const log = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
  return startGateway({
    port, history: history.store, resolver: createModelResolver({ nodeConfigs: () => [], readSecret: () => Promise.resolve(undefined) }),
    credentials, log, warmupMs: 0, policies: { forNamespace: () => store }, seal,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), "gateway-seal-test-"));
  history = await openHistory({ databaseUrl: db.url, home, log: pino({ level: "silent" }) });
  expect(store.update(BASE_POLICIES).ok).toBe(true);
  gateway = await startSealGateway(signingKey);
});

afterAll(async () => {
  await gateway?.stop();
  await history?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

const CALL = { seq: 1, name: "fs.read", arguments: { path: "/workspace/a.txt" } };

const harness: AttackHarness = {
  get gatewayUrl() {
    return gateway.url;
  },
  now: clock,
  signingKey,
  addPolicy: (name, cedar) => {
    expect(store.update([...BASE_POLICIES, { name: `${NS}/policies/${name}.cedar`, text: cedar }]).ok).toBe(true);
    return Promise.resolve();
  },
  policyRevision: () => store.current()?.policySet.revision,
  get history() {
    return history.store;
  },
  logs: () => logLines,
};

describe("SEAL in the gateway", () => {
  it("an attested pod's signed tool call, result and output are accepted and recorded", async () => {
    const pod = podFor("happy");
    expect((await attestPod(pod)).status).toBe(200);
    expect(await post("/v1/tool-calls", pod.bearer, signed(pod, CALL))).toMatchObject({ status: 200, json: { decision: "allow", policyRevision: revisionOf(BASE_POLICIES) } });
    expect((await post("/v1/tool-calls/1/result", pod.bearer, signed(pod, { ok: true, content: "hi", durationMs: 3 }, "POST /v1/tool-calls/1/result"))).status).toBe(204);
    expect((await post("/v1/output", pod.bearer, signed(pod, { output: "done" }, "POST /v1/output"))).status).toBe(204);
    expect((await history.store.toolCallsOf(pod.uid, 1)).map((c) => [c.seq, c.toolName, c.decision, c.resultSummary])).toEqual([[1, "fs.read", "allow", "hi"]]);
    expect((await history.store.eventsOf(pod.uid)).map((e) => e.type)).toEqual(["IterationOutput"]);
  });

  const clientFor = async (pod: Pod, clientClock: () => number) => {
    const file = join(home, `sa-token-${pod.execution}`);
    await writeFile(file, `${pod.saToken}\n`);
    return createGatewayClient({ baseUrl: gateway.url, token: pod.bearer, seal: { saTokenFile: file, clock: clientClock } });
  };
  const signal = new AbortController().signal;
  const eventsOf = async (pod: Pod) => (await history.store.eventsOf(pod.uid)).map((e) => [e.type, (e.payload as { code?: string }).code]);

  it("the runtime's gateway client re-attests before its token expires: an iteration longer than the token's lifetime is never refused", async () => {
    const pod = podFor("client-long");
    const client = await clientFor(pod, clock);
    await client.attest?.(signal);
    expect(await client.askToolCall({ seq: 1, name: "cmd.run", arguments: { command: "cat", args: ["a"] } }, signal)).toEqual({ decision: "allow" });
    now += 490_000; // past 80 % of the 600 s token: the next call attests first
    await client.reportToolResult(1, { ok: true, content: "a", durationMs: 1 }, signal);
    now += 510_000; // the first token expired 400 s ago
    await client.postOutput({ output: "after 1000 s" }, signal);
    expect(await eventsOf(pod)).toEqual([["IterationOutput", undefined]]);
  });

  it("the runtime's gateway client re-attests once when a restarted gateway no longer knows its token's key", async () => {
    const pod = podFor("client-restart");
    const first = await startSealGateway({ kid: "gw-old", ...generateKeyPair() });
    const port = Number(new URL(first.url).port);
    const file = join(home, "sa-token-restart");
    await writeFile(file, `${pod.saToken}\n`);
    const client = createGatewayClient({ baseUrl: first.url, token: pod.bearer, seal: { saTokenFile: file, clock } });
    await client.attest?.(signal);
    await first.stop();
    const second = await startSealGateway({ kid: "gw-new", ...generateKeyPair() }, port);
    try {
      await client.postOutput({ output: "after the restart" }, signal);
    } finally {
      await second.stop();
    }
    expect(await eventsOf(pod)).toEqual([["SealRejected", "UnknownKey"], ["IterationOutput", undefined]]);
  });

  // The shared attack table (src/gateway/test-seal-attacks.ts), each case with two fresh pods.
  it.each(SEAL_ATTACKS)("refuses: $name → $expected.code", async (attack) => {
    const pod = podFor(`atk-${randomBytes(3).toString("hex")}`);
    const other = podFor(`oth-${randomBytes(3).toString("hex")}`);
    expect((await attestPod(pod)).status).toBe(200);
    expect((await attestPod(other)).status).toBe(200);
    try {
      await playAttack(harness, attack, pod, other);
    } finally {
      store.update(BASE_POLICIES);
    }
  });

  it("the table has the cases issue 5 names, each code documented", () => {
    expect(SEAL_ATTACKS.length).toBeGreaterThanOrEqual(15);
    for (const name of ["forged signature", "signed with the wrong key", "replayed nonce", "stale timestamp", "expired token", "wrong audience", "a token of another execution",
      "a tool not allowed", "../ traversal", "an absolute path outside the workspace", "a command outside the allowlist", "oversized payload", "malformed JSON", "missing fields", "a policy swapped mid-run"]) {
      expect(SEAL_ATTACKS.some((a) => a.name.startsWith(name)), name).toBe(true);
    }
  });

  describe("attestation", () => {
    const attestBody = (saToken: unknown, publicKey: unknown) => post("/v1/seal/attest", undefined, JSON.stringify({ serviceAccountToken: saToken, publicKey }));
    const jwk = () => exportPublicJwk(generateKeyPair().publicKey);
    const refusals: { name: string; code: SealCode; send: () => Promise<Answer> }[] = [
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
      credentials.finish(pod.bearer);
      expect(await attestPod(pod)).toMatchObject({ status: 403, json: { code: "UnknownWorkload" } });
    });
  });
});
