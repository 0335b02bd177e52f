// The SEAL attack table of issue 5: requests an attacker (or a broken pod) sends to the gateway
// over HTTP, each with its documented answer (docs/seal.md §5, docs/policy.md) and how it is
// recorded. One table, two harnesses: src/gateway/server-seal.test.ts (injected TokenReview and
// pod facts, a settable clock) and test/integration/seal-attacks.int.test.ts (the gateway as the
// operator wires it, against the real API server). Test support only (test-*.ts never ship in an image).
import { randomBytes, type KeyObject } from "node:crypto";
import { expect } from "vitest";
import type { HistoryStore } from "../history/store.ts";
import { encodeBase64url } from "../seal/base64url.ts";
import { httpStatus, type SealCode } from "../seal/codes.ts";
import { generateKeyPair, type Ed25519KeyPair } from "../seal/keys.ts";
import { encodeEnvelope, signEnvelope } from "../seal/sign.ts";
import { issueToken } from "../seal/token.ts";
import { SEAL_AUDIENCE, SEAL_ISSUER, SEAL_SCOPE } from "./seal.ts";

/** An attested iteration pod, as the attacker holds it (or steals from it). */
export interface AttackPod {
  readonly namespace: string;
  readonly execution: string;
  /** The Execution's uid: history is keyed by it. */
  readonly uid: string;
  readonly iteration: number;
  /** The execution's bearer token (its grant in the credential registry). */
  readonly bearer: string;
  readonly keys: Ed25519KeyPair;
  /** The security token the pod got from POST /v1/seal/attest. */
  token: string;
}

export interface AttackHarness {
  readonly gatewayUrl: string;
  /** The gateway's clock (epoch milliseconds). */
  readonly now: () => number;
  /** The gateway's token signing key: tokens it would issue, but expired, for another audience… */
  readonly signingKey: { readonly kid: string; readonly privateKey: KeyObject };
  /** Adds a policy to the pod's namespace; resolves once the gateway enforces the new set. */
  addPolicy(name: string, cedar: string): Promise<void>;
  /** The revision (label) of the set the gateway enforces in the pods' namespace now. */
  policyRevision(): string | undefined;
  readonly history: Pick<HistoryStore, "eventsOf" | "toolCallsOf">;
  /** The gateway's log lines so far. */
  logs(): readonly string[];
}

export interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** A SEAL refusal (before anything else; a SealRejected event) or a policy deny (a tool_calls deny row). */
export type Expected = { readonly kind: "seal"; readonly code: SealCode } | { readonly kind: "policy"; readonly code: "ToolNotAllowed" | "PolicyDenied" };

export interface SealAttack {
  readonly name: string;
  readonly expected: Expected;
  /** Sends the attack with `pod`'s bearer token; `other` is another execution's attested pod. */
  play(h: AttackHarness, pod: AttackPod, other: AttackPod): Promise<Answer>;
}

/** The namespace's policy the table assumes: fs tools in /workspace, two commands only. */
export const ATTACK_POLICY = `
@id("fs-in-workspace")
permit (principal, action == Action::"tool:invoke", resource in Tool::"fs.*")
when { context has path && (context.path == "/workspace" || context.path like "/workspace/*") };
@id("cmd-allowlist")
permit (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run")
when { context has command && context.command in [Command::"python", Command::"cat"] };
@id("cmd-only-allowlisted")
forbid (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run")
unless { context has command && context.command in [Command::"python", Command::"cat"] };
`;
/** The tools the attacked agent declares (spec.tools). */
export const ATTACK_AGENT_TOOLS = ["fs.*", "cmd.run"];
/** Swapped in mid-run by the last case. */
export const NO_PYTHON_POLICY = '@id("no-python")\nforbid (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run") when { context has command && context.command == Command::"python" };';

/** The seq of every attacking tool call (setup calls use others). */
export const ATTACK_SEQ = 9;
const CALL = { seq: ATTACK_SEQ, name: "fs.read", arguments: { path: "/workspace/a.txt" } };
const TOOL_CALLS = "/v1/tool-calls";
/** Far enough outside the 30 s window that a real clock moving during the request does not matter. */
const OUTSIDE_WINDOW_MS = 45_000;

export async function post(gatewayUrl: string, path: string, bearer: string | undefined, body: string): Promise<Answer> {
  const res = await fetch(`${gatewayUrl}${path}`, {
    method: "POST", headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), "content-type": "application/json" }, body,
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export interface EnvelopeOverrides {
  readonly route?: string;
  readonly token?: string;
  readonly key?: Ed25519KeyPair;
  readonly at?: number;
}

/** The body the pod would send: `payload` signed with its key under its token (or the overrides). */
export function envelope(pod: AttackPod, payload: unknown, at: number, o: EnvelopeOverrides = {}): string {
  return encodeEnvelope(signEnvelope(payload, {
    route: o.route ?? `POST ${TOOL_CALLS}`, token: o.token ?? pod.token, privateKey: (o.key ?? pod.keys).privateKey, clock: () => o.at ?? at,
  }));
}

/** A body with its envelope members changed after signing. */
export function edit(body: string, change: (e: Record<string, unknown>) => void): string {
  const e = JSON.parse(body) as Record<string, unknown>;
  change(e);
  return JSON.stringify(e);
}

/** A security token for `pod`'s key signed with the gateway's key, with some of what the gateway would put in changed. */
function mint(h: AttackHarness, pod: AttackPod, o: { audience?: string; issuer?: string; scope?: string; issuedAt?: number; ttlSeconds?: number; kid?: string; privateKey?: KeyObject } = {}): string {
  return issueToken(
    { sub: `${pod.namespace}/${pod.execution}`, scope: o.scope ?? SEAL_SCOPE, execution: `${pod.namespace}/${pod.execution}`, iteration: pod.iteration, publicKey: pod.keys.publicKey },
    {
      issuer: o.issuer ?? SEAL_ISSUER, audience: o.audience ?? SEAL_AUDIENCE, ttlSeconds: o.ttlSeconds ?? 600,
      signingKey: { kid: o.kid ?? h.signingKey.kid, privateKey: o.privateKey ?? h.signingKey.privateKey }, clock: () => o.issuedAt ?? h.now(),
    },
  ).token;
}

const send = (h: AttackHarness, pod: AttackPod, body: string, path = TOOL_CALLS) => post(h.gatewayUrl, path, pod.bearer, body);
const signed = (h: AttackHarness, pod: AttackPod, payload: unknown = CALL, o: EnvelopeOverrides = {}) => envelope(pod, payload, h.now(), o);
const seal = (code: SealCode): Expected => ({ kind: "seal", code });
const ask = (h: AttackHarness, pod: AttackPod, seq: number, name: string, args: unknown) => send(h, pod, signed(h, pod, { seq, name, arguments: args }));

export const SEAL_ATTACKS: readonly SealAttack[] = [
  // The envelope signature.
  { name: "forged signature", expected: seal("BadSignature"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => (e.signature = encodeBase64url(randomBytes(64))))) },
  { name: "signed with the wrong key", expected: seal("BadSignature"), play: (h, p) => send(h, p, signed(h, p, CALL, { key: generateKeyPair() })) },
  { name: "tampered payload", expected: seal("BadSignature"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => (e.payload = (e.payload as string).replace("a.txt", "b.txt")))) },
  { name: "a tool call replayed as its result", expected: seal("BadSignature"), play: (h, p) => send(h, p, signed(h, p, { ok: true, durationMs: 1 }), `${TOOL_CALLS}/${ATTACK_SEQ}/result`) },
  // Freshness and replay.
  {
    name: "replayed nonce", expected: seal("ReplayedNonce"),
    play: async (h, p) => {
      const body = signed(h, p, { ...CALL, seq: 1 });
      expect((await send(h, p, body)).status).toBe(200);
      return send(h, p, body);
    },
  },
  { name: "stale timestamp", expected: seal("StaleTimestamp"), play: (h, p) => send(h, p, signed(h, p, CALL, { at: h.now() - OUTSIDE_WINDOW_MS })) },
  { name: "future timestamp", expected: seal("FutureTimestamp"), play: (h, p) => send(h, p, signed(h, p, CALL, { at: h.now() + OUTSIDE_WINDOW_MS })) },
  // The security token.
  { name: "expired token", expected: seal("TokenExpired"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { ttlSeconds: 60, issuedAt: h.now() - 120_000 }) })) },
  { name: "wrong audience", expected: seal("WrongAudience"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { audience: "someone-else" }) })) },
  { name: "wrong issuer", expected: seal("WrongIssuer"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { issuer: "another-gateway" }) })) },
  { name: "a token without the tool-calls scope", expected: seal("InsufficientScope"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { scope: "read" }) })) },
  { name: "a token signed by another key under the gateway's kid", expected: seal("BadTokenSignature"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { privateKey: generateKeyPair().privateKey }) })) },
  { name: "a token under a kid the gateway does not have", expected: seal("UnknownKey"), play: (h, p) => send(h, p, signed(h, p, CALL, { token: mint(h, p, { kid: "gw-unknown", privateKey: generateKeyPair().privateKey }) })) },
  { name: "token alg none", expected: seal("UnsupportedTokenAlgorithm"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => (e.token = `${encodeBase64url(Buffer.from('{"alg":"none","typ":"JWT"}'))}.${(e.token as string).split(".")[1]}.`))) },
  { name: "a token of another execution (with this execution's bearer)", expected: seal("TokenForAnotherExecution"), play: (h, p, other) => send(h, p, signed(h, other)) },
  // The body.
  { name: "oversized payload", expected: seal("PayloadTooLarge"), play: (h, p) => send(h, p, signed(h, p, { ...CALL, arguments: { path: "/workspace/a.txt", pad: "x".repeat(1024 * 1024) } })) },
  { name: "malformed JSON", expected: seal("MalformedEnvelope"), play: (h, p) => send(h, p, "{\"token\": ") },
  { name: "missing fields", expected: seal("MissingField"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => delete e.nonce)) },
  { name: "a plain body without an envelope", expected: seal("MissingField"), play: (h, p) => send(h, p, JSON.stringify(CALL)) },
  { name: "an unknown envelope member", expected: seal("MalformedEnvelope"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => (e.extra = 1))) },
  { name: "non-canonical payload", expected: seal("NonCanonicalPayload"), play: (h, p) => send(h, p, edit(signed(h, p), (e) => (e.payload = JSON.stringify(CALL, null, 1)))) },
  // Signed, then refused by spec.tools or Cedar.
  { name: "a tool not allowed", expected: { kind: "policy", code: "ToolNotAllowed" }, play: (h, p) => ask(h, p, ATTACK_SEQ, "web.fetch", { url: "https://example.com" }) },
  { name: "../ traversal", expected: { kind: "policy", code: "PolicyDenied" }, play: (h, p) => ask(h, p, ATTACK_SEQ, "fs.read", { path: "../../etc/passwd" }) },
  { name: "an absolute path outside the workspace", expected: { kind: "policy", code: "PolicyDenied" }, play: (h, p) => ask(h, p, ATTACK_SEQ, "fs.write", { path: "/etc/cron.d/x", content: "* * * * * root sh" }) },
  { name: "a command outside the allowlist", expected: { kind: "policy", code: "PolicyDenied" }, play: (h, p) => ask(h, p, ATTACK_SEQ, "cmd.run", { command: "curl", args: ["http://evil.example"] }) },
  {
    name: "a policy swapped mid-run", expected: { kind: "policy", code: "PolicyDenied" },
    play: async (h, p) => {
      const before = h.policyRevision();
      expect((await ask(h, p, 1, "cmd.run", { command: "python" })).json).toMatchObject({ decision: "allow", policyRevision: before });
      await h.addPolicy("no-python", NO_PYTHON_POLICY);
      expect(h.policyRevision()).not.toBe(before);
      return ask(h, p, ATTACK_SEQ, "cmd.run", { command: "python" });
    },
  },
];

/** Plays `attack` and checks its answer and its record (history, log). */
export async function playAttack(h: AttackHarness, attack: SealAttack, pod: AttackPod, other: AttackPod): Promise<Answer> {
  const answer = await attack.play(h, pod, other);
  const { kind, code } = attack.expected;
  const rejected = async () => (await h.history.eventsOf(pod.uid)).filter((e) => e.type === "SealRejected").map((e) => (e.payload as { code: string }).code);
  const attackRows = async () => (await h.history.toolCallsOf(pod.uid, pod.iteration)).filter((c) => c.seq === ATTACK_SEQ);
  if (kind === "seal") {
    expect(answer).toMatchObject({ status: httpStatus(code), json: { code } });
    // Recorded: one SealRejected event of the bearer's execution, and a log line; no tool call row.
    expect(await rejected()).toEqual([code]);
    expect(h.logs().some((l) => l.includes(pod.execution) && l.includes(`"code":"${code}"`))).toBe(true);
    expect(await attackRows()).toEqual([]);
  } else {
    // A tool error the model sees, recorded as a deny with the revision in force (none for spec.tools).
    const revision = code === "ToolNotAllowed" ? null : h.policyRevision();
    expect(revision).not.toBeUndefined();
    expect(answer).toMatchObject({ status: 200, json: { decision: "deny", code } });
    if (code === "PolicyDenied") expect(answer.json.policyRevision).toBe(revision);
    expect((await attackRows()).map((c) => [c.decision, c.policyRevision])).toEqual([["deny", revision]]);
    expect(await rejected()).toEqual([]);
  }
  return answer;
}
