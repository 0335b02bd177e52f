import { describe, expect, it } from "vitest";
import { iterationPod } from "./desired.ts";
import { podNameFor } from "./pod-name.ts";
import { readAgent } from "./spec.ts";

const execution = { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name: "run", namespace: "ns", uid: "u-1" } };
const agent = readAgent("coder", {
  runtime: { image: "ghcr.io/acme/agent:1", imagePullPolicy: "Always" }, task: { instruction: "x" },
  execution: { iterationTimeout: "90s" }, placement: { tags: ["gpu", "eu"] },
  resources: { limits: { cpu: "2" } }, env: [{ name: "FOO", value: "bar" }],
}, { image: "ghcr.io/acme/agent:1", conditions: [{ type: "Ready", status: "True" }] });
const options = { gatewayUrl: "http://127.0.0.1:9", tokenSecret: "run-token", command: ["sh", "-c", "true"] };
type Pod = { metadata: Record<string, unknown>; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
const pod = iterationPod(execution, agent, 2, options) as unknown as Pod;
const container = pod.spec.containers[0] ?? {};
const env = container.env as { name: string; value?: string; valueFrom?: unknown }[];

describe("iterationPod", () => {
  it("is named <execution>-<iteration>, labelled and controlled by the Execution", () => {
    expect(pod.metadata).toMatchObject({
      name: "run-2", namespace: "ns",
      labels: { "aegis.dev/execution": "run", "aegis.dev/iteration": "2", "aegis.dev/agent": "coder" },
      ownerReferences: [{ kind: "Execution", name: "run", uid: "u-1", controller: true }],
    });
  });
  it("bounds long names to 63 characters, deterministically and per iteration", () => {
    const long = "x".repeat(80);
    expect(podNameFor(long, 12)).toHaveLength(63);
    expect(podNameFor(long, 12)).toBe(podNameFor(long, 12));
    expect(podNameFor(long, 12)).not.toBe(podNameFor(long, 13));
    expect(podNameFor(long, 12)).toMatch(/-12$/);
  });
  it("carries the contract's env, the token by secretKeyRef, and no provider key", () => {
    expect(env.find((e) => e.name === "AEGIS_EXECUTION_TOKEN")?.valueFrom).toEqual({ secretKeyRef: { name: "run-token", key: "token" } });
    expect(Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]))).toMatchObject({
      AEGIS_GATEWAY_URL: "http://127.0.0.1:9", AEGIS_EXECUTION: "run", AEGIS_NAMESPACE: "ns", AEGIS_ITERATION: "2",
      AEGIS_WORKSPACE: "/workspace", AEGIS_MAX_TOOL_ROUNDS: "50", AEGIS_ITERATION_TIMEOUT: "90", FOO: "bar",
    });
    expect(env.some((e) => /API_KEY/.test(e.name))).toBe(false);
  });
  it("runs the agent's image with the given command, resources and placement", () => {
    expect(container).toMatchObject({ image: "ghcr.io/acme/agent:1", imagePullPolicy: "Always", command: ["sh", "-c", "true"], resources: { limits: { cpu: "2" } } });
    expect(pod.spec.nodeSelector).toEqual({ "tag.aegis.dev/eu": "true", "tag.aegis.dev/gpu": "true" });
    expect(pod.spec).toMatchObject({ restartPolicy: "Never", activeDeadlineSeconds: 90, automountServiceAccountToken: false });
  });
  it("is restricted: non-root, no escalation, read-only root, no capabilities, RuntimeDefault seccomp", () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.spec.volumes).toContainEqual({ name: "workspace", emptyDir: {} });
  });
  it("has no nodeSelector without tags and default resources without the agent's", () => {
    const bare = iterationPod(execution, readAgent("a", { runtime: {}, task: { instruction: "x" } }, {}), 1, options) as unknown as Pod;
    expect(bare.spec.nodeSelector).toBeUndefined();
    expect(bare.spec.containers[0]?.resources).toEqual({ limits: { cpu: "1", memory: "512Mi" } });
  });
  it("SEAL: mounts a projected service-account token for the gateway's audience read-only, names it in AEGIS_SA_TOKEN_FILE, automounts nothing", () => {
    expect(pod.spec.volumes).toHaveLength(2);
    expect(env.some((e) => e.name === "AEGIS_SA_TOKEN_FILE")).toBe(false);
    const sealed = iterationPod(execution, agent, 2, { ...options, sealAudience: "aegis-gateway" }) as unknown as Pod;
    expect(sealed.spec.automountServiceAccountToken).toBe(false);
    expect(sealed.spec.volumes).toContainEqual({
      name: "aegis-seal-token", projected: { sources: [{ serviceAccountToken: { audience: "aegis-gateway", expirationSeconds: 600, path: "token" } }] },
    });
    const c = sealed.spec.containers[0] ?? {};
    expect(c.volumeMounts).toContainEqual({ name: "aegis-seal-token", mountPath: "/var/run/secrets/aegis.dev/seal", readOnly: true });
    expect(c.env).toContainEqual({ name: "AEGIS_SA_TOKEN_FILE", value: "/var/run/secrets/aegis.dev/seal/token" });
  });
});
