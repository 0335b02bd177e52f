/**
 * SEAL verification cost per call on one core (Node runs it on its one JS thread): the gateway's
 * verifyEnvelope on a typical tool-call envelope, against a bare Ed25519 verify of the same signed
 * bytes measured in the same run, blocks of each interleaved so drift hits both alike. Twice: with
 * the token's signature verified on every call, and with it cached (createTokenCache: the steady
 * state, one token per iteration). Also the parts: reading the envelope (size, JSON, fields,
 * canonical check) and the uncached token check alone.
 * Usage: npm run bench:seal [-- --calls 20000 --warmup 2000 --block 500]
 */
import { verify } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { decodeFixed } from "../../src/seal/base64url.ts";
import { parseEnvelope, type Envelope } from "../../src/seal/envelope.ts";
import { signedBytes } from "../../src/seal/signed-bytes.ts";
import { AUDIENCE, fixture, ISSUER, ROUTE } from "../../src/seal/test-fixtures.ts";
import { createNonceCache } from "../../src/seal/nonces.ts";
import { createTokenCache } from "../../src/seal/token-cache.ts";
import { verifyToken } from "../../src/seal/token.ts";
import { verifyEnvelope } from "../../src/seal/verify.ts";
import { formatFigure, percentile, type Figure } from "../stats.ts";

const { values } = parseArgs({ options: { calls: { type: "string", default: "20000" }, warmup: { type: "string", default: "2000" }, block: { type: "string", default: "500" } } });
const calls = Number(values.calls);
const warmup = Number(values.warmup);
const block = Number(values.block);

// A tool call as the runtime sends it: a file write with a few hundred bytes of content.
const payload = { seq: 7, name: "fs.write", arguments: { path: "/workspace/src/app.ts", content: "export const answer = 42;\n".repeat(12) } };

const f = fixture(calls + warmup + 1);
const bodies = Array.from({ length: calls + warmup }, () => f.body(payload));
const envelopes = bodies.map((b) => JSON.parse(b) as Envelope);
const bare = envelopes.map((e) => ({ bytes: signedBytes({ ...e, route: ROUTE }), signature: decodeFixed(e.signature, 64)! }));
const tokenOptions = { keys: f.options.keys, issuer: ISSUER, audience: AUDIENCE, clock: f.clock, maxTtlSeconds: 3600, skewSeconds: 5 };

// The same bodies go through both SEAL cases, so each has its own replay cache.
const cached = { ...f.options, nonces: createNonceCache({ capacity: calls + warmup + 1, retentionMs: 60_000, clock: f.clock }), tokens: createTokenCache(1000) };

const cases: Record<string, (i: number) => boolean> = {
  "bare Ed25519 verify": (i) => verify(null, bare[i]!.bytes, f.agent.publicKey, bare[i]!.signature),
  "SEAL verifyEnvelope": (i) => verifyEnvelope(bodies[i]!, f.options).ok,
  "SEAL verifyEnvelope, token cached": (i) => verifyEnvelope(bodies[i]!, cached).ok,
  "  of which: read envelope": (i) => parseEnvelope(bodies[i]!).ok,
  "  of which: verify token": (i) => verifyToken(envelopes[i]!.token, tokenOptions).ok,
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));

function run(name: string, from: number, to: number, record: boolean): void {
  const call = cases[name]!;
  for (let i = from; i < to; i += 1) {
    const start = process.hrtime.bigint();
    const ok = call(i);
    const took = Number(process.hrtime.bigint() - start) / 1000;
    if (!ok) throw new Error(`${name}: call ${i} was refused`);
    if (record) samples[name]!.push(took);
  }
}

process.stdout.write(`aegis SEAL verification — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
process.stdout.write(`envelope ${Buffer.byteLength(bodies[0]!)} bytes (token ${envelopes[0]!.token.length}, payload ${envelopes[0]!.payload.length}); ${calls} calls each after ${warmup} warm-up, blocks of ${block} interleaved\n\n`);
for (const name of Object.keys(cases)) run(name, 0, warmup, false);
for (let from = warmup; from < warmup + calls; from += block) {
  for (const name of Object.keys(cases)) run(name, from, Math.min(from + block, warmup + calls), true);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const baseline = samples["bare Ed25519 verify"]!;
const base = (fn: (xs: number[]) => number, name: string) => ({ name: `bare verify ${name}`, value: fn(baseline) });
const figures: Figure[] = Object.entries(samples).flatMap(([name, xs]) => {
  const isBase = xs === baseline;
  return [
    { name: `${name} p50`, value: percentile(xs, 50), unit: "µs", ...(isBase ? {} : { baseline: base((v) => percentile(v, 50), "p50") }) },
    { name: `${name} p99`, value: percentile(xs, 99), unit: "µs", ...(isBase ? {} : { baseline: base((v) => percentile(v, 99), "p99") }) },
    { name: `${name} calls/s`, value: 1e6 / mean(xs), unit: "calls/s", ...(isBase ? {} : { baseline: base((v) => 1e6 / mean(v), "calls/s") }) },
  ];
});
for (const figure of figures) process.stdout.write(`${formatFigure(figure)}\n`);
