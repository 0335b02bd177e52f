/**
 * What the gateway adds to one model turn: the same OpenAI chat request sent sequentially to
 * the scripted model server directly and through the gateway (auth, alias resolution, provider
 * call, transcript recorded in PostgreSQL), calls interleaved so drift hits both alike. Each
 * gateway call gets its own grant (a fresh execution uid), so every turn is really recorded.
 */
import { randomUUID } from "node:crypto";
import type { CredentialRegistry } from "../../src/gateway/index.ts";
import { percentile } from "../stats.ts";
import { MODEL_KEY } from "./fixtures.ts";

export interface OverheadResult {
  readonly calls: number;
  readonly direct: { p50: number; p99: number };
  readonly gateway: { p50: number; p99: number };
}

async function timedPost(url: string, auth: string, body: unknown): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return ms;
}

/** The same request each time but for a numbered user text (the scripted server keys conversations by it). */
const request = (n: number) => ({
  model: "bench-model",
  messages: [{ role: "system", content: "Answer with one word." }, { role: "user", content: `overhead call ${String(n).padStart(8, "0")}` }],
});

export async function gatewayOverhead(gatewayUrl: string, modelUrl: string, credentials: CredentialRegistry, calls: number, warmup: number): Promise<OverheadResult> {
  const direct: number[] = [];
  const gateway: number[] = [];
  for (let i = 0; i < warmup + calls; i++) {
    const token = `bench-overhead-${randomUUID()}`;
    credentials.register({
      token, namespace: "bench-overhead", execution: `overhead-${i}`, uid: randomUUID(), iteration: 1, model: "default", agentTools: [],
      payload: { systemPrompt: "Answer with one word.", task: "overhead", tools: [] },
    });
    const d = await timedPost(`${modelUrl}/v1/chat/completions`, MODEL_KEY, request(2 * i));
    const g = await timedPost(`${gatewayUrl}/v1/chat/completions`, token, request(2 * i + 1));
    credentials.unregister(token);
    if (i < warmup) continue;
    direct.push(d);
    gateway.push(g);
  }
  return {
    calls,
    direct: { p50: percentile(direct, 50), p99: percentile(direct, 99) },
    gateway: { p50: percentile(gateway, 50), p99: percentile(gateway, 99) },
  };
}
