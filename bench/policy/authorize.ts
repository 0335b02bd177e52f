// Cedar authorization latency (p50/p99) with 10, 100 and 1,000 generated policies, as ratios to
// the 10-policy case. Target (issue 5): p99 ≤ 1 ms at 1,000 policies. Two shapes: tenant-scoped
// policies (the index hands Cedar only the request's namespace and the cluster-wide rules) and
// unscoped ones (Cedar evaluates every policy: the worst case).
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { authorize, type AuthorizationRequest } from "../../src/policy/authorize.ts";
import { compilePolicies, type CompiledPolicySet } from "../../src/policy/load.ts";
import { toolCallRequest } from "../../src/policy/tool-request.ts";
import { formatFigure, percentile } from "../stats.ts";
import { generatePolicies } from "./generate.ts";

const SIZES = [10, 100, 1000];
const WARMUP = 2_000;
const SAMPLES = Number(process.env["SAMPLES"] ?? 20_000);

/** A call that generated policy 8 permits: it is in the request's namespace at every size. */
function requestFor(size: number): AuthorizationRequest {
  const built = toolCallRequest({
    namespace: `ns-${8 % Math.max(1, Math.floor(size / 10))}`, execution: "run-1", agent: "coder", iteration: 1, tool: "cmd.run",
    arguments: { command: "python", args: ["-m", "pytest"], cwd: "/workspace/p8/src" },
  });
  if (!built.ok) throw new Error(built.error);
  return built.request;
}

function compile(text: string): CompiledPolicySet {
  const r = compilePolicies([{ name: "bench.cedar", text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  return r.policySet;
}

function measure(set: CompiledPolicySet, request: AuthorizationRequest, validate: boolean): { p50: number; p99: number; decision: string } {
  let decision = "";
  for (let i = 0; i < WARMUP; i += 1) decision = authorize(set, request, { validate }).decision;
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const t0 = performance.now();
    authorize(set, request, { validate });
    ms.push(performance.now() - t0);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), decision };
}

console.log(`Cedar authorization, ${SAMPLES} decisions per case, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}, node ${process.version}`);
// The gateway's path: a request from toolCallRequest, not re-validated; then the same with
// schema validation of the request (raw requests), then every policy in scope.
const SHAPES = [
  { shape: "scoped", sliced: true, validate: false },
  { shape: "scoped+validate", sliced: true, validate: true },
  { shape: "unscoped", sliced: false, validate: false },
];
for (const { shape, sliced, validate } of SHAPES) {
  let base: { p50: number; p99: number } | undefined;
  for (const size of SIZES) {
    const set = compile(generatePolicies(size, sliced));
    const r = measure(set, requestFor(size), validate);
    base ??= r;
    const name = `${shape}, ${size} policies (${r.decision})`;
    console.log(formatFigure({ name: `${name} p50`, value: r.p50 * 1000, unit: "µs", baseline: { name: "10", value: base.p50 * 1000 } }));
    console.log(formatFigure({ name: `${name} p99`, value: r.p99 * 1000, unit: "µs", baseline: { name: "10", value: base.p99 * 1000 } }));
  }
}
