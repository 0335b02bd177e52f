// The iteration pod's tracing variables (docs/tracing.md): handed over by the operator, they win over the agent's own.
import { describe, expect, it } from "vitest";
import { iterationPod } from "./desired.ts";
import { readAgent } from "./spec.ts";

const execution = { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "run", namespace: "ns", uid: "u-1" } };
const agent = readAgent("coder", {
  runtime: { image: "img" }, task: { instruction: "x" },
  env: [{ name: "OTEL_SERVICE_NAME", value: "mine" }, { name: "TRACEPARENT", value: "forged" }, { name: "FOO", value: "bar" }],
}, { image: "img", conditions: [{ type: "Ready", status: "True" }] });
const envOf = (traceEnv?: { name: string; value: string }[]) => {
  const pod = iterationPod(execution, agent, 1, { gatewayUrl: "http://127.0.0.1:9", tokenSecret: "t", ...(traceEnv ? { traceEnv } : {}) });
  return ((pod.spec as { containers: { env: { name: string; value?: string }[] }[] }).containers[0]?.env ?? []);
};

describe("iterationPod traceEnv", () => {
  it("adds the operator's tracing variables, each name once, replacing the agent's", () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const env = envOf([{ name: "OTEL_SERVICE_NAME", value: "aegis-agent-runtime" }, { name: "TRACEPARENT", value: traceparent }]);
    const names = env.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toMatchObject({ OTEL_SERVICE_NAME: "aegis-agent-runtime", TRACEPARENT: traceparent, FOO: "bar" });
  });

  it("leaves the agent's env alone without tracing", () => {
    expect(Object.fromEntries(envOf().map((e) => [e.name, e.value]))).toMatchObject({ OTEL_SERVICE_NAME: "mine", TRACEPARENT: "forged" });
  });
});
