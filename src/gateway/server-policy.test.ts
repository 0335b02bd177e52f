// Cedar enforcement in the gateway over HTTP, with a real PolicyStore and the real PostgreSQL:
// denies come back as tool errors naming the policy, every decision is recorded with the
// revision, violations are reported, and a policy swapped mid-run decides the next call.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openHistory, type History } from "../history/index.ts";
import { createTestDatabase, type TestDatabase } from "../history/test-database.ts";
import { revisionOf, type PolicySource } from "../policy/load.ts";
import { PolicyStore } from "../policy/store.ts";
import { createCredentialRegistry, type ExecutionGrant } from "./credentials.ts";
import type { PolicyViolation } from "./policy-check.ts";
import { createModelResolver } from "./resolve.ts";
import { startGateway, type Gateway } from "./server.ts";

const DEFAULTS = (parse(readFileSync(new URL("../../manifests/base/policies.yaml", import.meta.url), "utf8")) as { data: Record<string, string> }).data;
const defaultSources: PolicySource[] = Object.entries(DEFAULTS).map(([key, text]) => ({ name: `aegis-system/aegis-default-policies/${key}`, text }));

const ALLOWLIST = `
@id("fs-in-workspace")
permit (principal, action == Action::"tool:invoke", resource in Tool::"fs.*")
when { context has path && (context.path == "/workspace" || context.path like "/workspace/*") };
@id("no-delete")
forbid (principal, action == Action::"tool:invoke", resource == Tool::"fs.delete");
@id("cmd-allowlist")
permit (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run")
when { context has command && context.command in [Command::"python", Command::"cat"] };
`;

let db: TestDatabase;
let history: History;
let gateway: Gateway;
let home: string;
const credentials = createCredentialRegistry();
const stores = new Map<string, PolicyStore>();
const violations: PolicyViolation[] = [];

function storeFor(ns: string): PolicyStore {
  let s = stores.get(ns);
  if (!s) stores.set(ns, (s = new PolicyStore()));
  return s;
}

function grant(execution: string, namespace: string): ExecutionGrant {
  const g: ExecutionGrant = {
    token: `tok-${execution}-0123456789abcdef`, namespace, execution, agent: "coder", uid: `00000000-0000-4000-8000-${execution.padStart(12, "0").slice(-12)}`,
    iteration: 1, model: "smart", agentTools: ["fs.*", "cmd.run"], payload: { systemPrompt: "", task: "", tools: [] },
  };
  credentials.register(g);
  return g;
}

async function toolCall(g: ExecutionGrant, seq: number, name: string, args: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway.url}/v1/tool-calls`, {
    method: "POST", headers: { authorization: `Bearer ${g.token}`, "content-type": "application/json" }, body: JSON.stringify({ seq, name, arguments: args }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function result(g: ExecutionGrant, seq: number): Promise<void> {
  const res = await fetch(`${gateway.url}/v1/tool-calls/${seq}/result`, {
    method: "POST", headers: { authorization: `Bearer ${g.token}`, "content-type": "application/json" }, body: JSON.stringify({ ok: true, content: "ok", durationMs: 1 }),
  });
  expect(res.status).toBe(204);
}

beforeAll(async () => {
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), "gateway-policy-test-"));
  const log = pino({ level: "silent" });
  history = await openHistory({ databaseUrl: db.url, home, log });
  const resolver = createModelResolver({ nodeConfigs: () => [], readSecret: () => Promise.resolve(undefined) });
  gateway = await startGateway({
    port: 0, history: history.store, resolver, credentials, log, warmupMs: 0,
    policies: { forNamespace: storeFor }, onViolation: (v) => violations.push(v),
  });
});

afterAll(async () => {
  await gateway?.stop();
  await history?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe("gateway with Cedar policies", () => {
  it("with the default policies: fs under /workspace and cmd.run are allowed, traversal and outside paths are denied, all recorded with the revision", async () => {
    expect(storeFor("defaults").update(defaultSources).ok).toBe(true);
    const revision = revisionOf(defaultSources);
    const g = grant("defaults", "defaults");
    expect(await toolCall(g, 0, "fs.write", { path: "notes.txt", content: "x" })).toEqual({ decision: "allow", policyRevision: revision });
    await result(g, 0);
    expect(await toolCall(g, 1, "cmd.run", { command: "cat", args: ["notes.txt"] })).toMatchObject({ decision: "allow" });
    await result(g, 1);
    const traversal = await toolCall(g, 2, "fs.read", { path: "../../etc/passwd" });
    expect(traversal).toEqual({ decision: "deny", code: "PolicyDenied", message: 'tool call "fs.read" denied: no policy permits it', policyRevision: revision });
    expect(await toolCall(g, 3, "fs.read", { path: "/etc/shadow" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await toolCall(g, 4, "fs.read", { path: "/workspace/../etc/passwd" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await toolCall(g, 5, "fs.read", { path: "/workspace2/x" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await toolCall(g, 6, "fs.read", { path: "/workspace/src/../a.txt" })).toMatchObject({ decision: "allow" });
    // spec.tools still comes first.
    expect(await toolCall(g, 7, "web.fetch", { url: "https://example.com" })).toMatchObject({ decision: "deny", code: "ToolNotAllowed" });

    const calls = await history.store.toolCallsOf(g.uid, 1);
    expect(calls.map((c) => [c.seq, c.decision, c.policyRevision])).toEqual([
      [0, "allow", revision], [1, "allow", revision], [2, "deny", revision], [3, "deny", revision], [4, "deny", revision], [5, "deny", revision], [7, "deny", null],
    ]);
    expect(calls.find((c) => c.seq === 2)?.error).toContain("no policy permits it");
    expect(violations.filter((v) => v.execution === "defaults").map((v) => [v.seq, v.tool, v.code])).toEqual([
      [2, "fs.read", "PolicyDenied"], [3, "fs.read", "PolicyDenied"], [4, "fs.read", "PolicyDenied"], [5, "fs.read", "PolicyDenied"],
    ]);
  });

  it("a forbid names its policy; a command outside the allowlist is denied; a swapped policy decides the next call", async () => {
    const sources = [{ name: "team-a/policies/tools.cedar", text: ALLOWLIST }];
    const store = storeFor("team-a");
    expect(store.update(sources, { commit: "abc123" }).ok).toBe(true);
    const revision = `${revisionOf(sources)}@abc123`;
    const g = grant("swap", "team-a");
    expect(await toolCall(g, 0, "fs.delete", { path: "tmp" })).toEqual({
      decision: "deny", code: "PolicyDenied", message: 'tool call "fs.delete" denied by policy team-a/policies/tools.cedar:no-delete', policyRevision: revision,
    });
    expect(await toolCall(g, 1, "cmd.run", { command: "python", args: ["x.py"] })).toEqual({ decision: "allow", policyRevision: revision });
    await result(g, 1);
    expect(await toolCall(g, 2, "cmd.run", { command: "curl", args: ["http://evil"] })).toMatchObject({ decision: "deny", code: "PolicyDenied" });
    expect(await toolCall(g, 3, "cmd.run", { command: "/usr/bin/python" })).toMatchObject({ decision: "deny", code: "PolicyDenied" });

    // Mid-run: python is forbidden now; the very next call sees it.
    const swapped = [...sources, { name: "team-a/policies/no-python.cedar", text: '@id("no-python")\nforbid (principal, action == Action::"tool:invoke", resource == Tool::"cmd.run") when { context has command && context.command == Command::"python" };' }];
    expect(store.update(swapped).ok).toBe(true);
    const next = await toolCall(g, 4, "cmd.run", { command: "python", args: ["x.py"] });
    expect(next).toEqual({ decision: "deny", code: "PolicyDenied", message: 'tool call "cmd.run" denied by policy team-a/policies/no-python.cedar:no-python', policyRevision: revisionOf(swapped) });

    // An invalid update keeps the last good set in force.
    expect(store.update([{ name: "team-a/policies/tools.cedar", text: "permit (principal, action, resource) when { context.nope };" }]).ok).toBe(false);
    expect(await toolCall(g, 5, "cmd.run", { command: "cat" })).toEqual({ decision: "allow", policyRevision: revisionOf(swapped) });
    await result(g, 5);

    const calls = await history.store.toolCallsOf(g.uid, 1);
    expect(calls.map((c) => [c.seq, c.decision, c.policyRevision])).toEqual([
      [0, "deny", revision], [1, "allow", revision], [2, "deny", revision], [3, "deny", revision], [4, "deny", revisionOf(swapped)], [5, "allow", revisionOf(swapped)],
    ]);
    expect(violations.find((v) => v.execution === "swap" && v.seq === 0)?.reasons).toEqual(["team-a/policies/tools.cedar:no-delete"]);
  });

  it("arguments that cannot be checked are refused before Cedar; a namespace with no policies denies everything", async () => {
    storeFor("team-a");
    const g = grant("badargs", "team-a");
    expect(await toolCall(g, 0, "fs.read", { path: "a\u0000b" })).toMatchObject({ decision: "deny", code: "InvalidArguments", policyRevision: null });
    expect(await toolCall(g, 1, "cmd.run", { command: 42 })).toMatchObject({ decision: "deny", code: "InvalidArguments" });
    const empty = grant("empty", "nobody");
    expect(await toolCall(empty, 0, "fs.read", { path: "a.txt" })).toMatchObject({ decision: "deny", code: "PolicyDenied", policyRevision: null });
    expect((await history.store.toolCallsOf(empty.uid, 1))[0]).toMatchObject({ decision: "deny", policyRevision: null });
  });
});
