import { describe, expect, it } from "vitest";
import { referencedSources, resolveEnv, type EnvSources } from "./env.ts";
import { FACTS, testPod } from "./test-pods.ts";

const sources: EnvSources = {
  secrets: new Map([["creds", { token: "s3cr3t", "bad key": "x" }]]),
  configMaps: new Map([["settings", { MODE: "fast", level: "3" }]]),
};

function envOf(container: Record<string, unknown>, base: Record<string, string> = {}) {
  const pod = testPod({ containers: [{ name: "main", image: "busybox", ...container }] }, { name: "web-1", annotations: { a: "b" } });
  const c = pod.spec.containers[0];
  if (!c) throw new Error("no container");
  return resolveEnv(pod, c, FACTS, sources, base);
}

describe("resolveEnv", () => {
  it("resolves values, references, secrets, config maps and field refs in order", () => {
    const r = envOf({
      env: [
        { name: "A", value: "1" },
        { name: "B", value: "$(A)-$(LATER)-$(BASE)" },
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
        { name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "MODE" } } },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "ANN", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['a']" } } },
        { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "LATER", value: "late" },
        { name: "A", value: "2" },
      ],
    }, { BASE: "image" });
    expect(r.ok && Object.fromEntries(r.env)).toEqual({
      BASE: "image",
      A: "2",
      B: "1-$(LATER)-image",
      TOKEN: "s3cr3t",
      MODE: "fast",
      POD: "web-1",
      ANN: "b",
      IP: "127.0.0.1",
      LATER: "late",
    });
  });

  it("adds envFrom with its prefix and skips keys that are not variable names", () => {
    const r = envOf({ envFrom: [{ configMapRef: { name: "settings" }, prefix: "CFG_" }, { secretRef: { name: "creds" } }] });
    expect(r.ok && Object.fromEntries(r.env)).toEqual({ CFG_MODE: "fast", CFG_level: "3", token: "s3cr3t" });
  });

  it.each([
    [{ env: [{ name: "X", valueFrom: { secretKeyRef: { name: "missing", key: "k" } } }] }, 'secret "missing" not found', false],
    [{ env: [{ name: "X", valueFrom: { secretKeyRef: { name: "creds", key: "nope" } } }] }, "couldn't find key nope in Secret creds", false],
    [{ envFrom: [{ configMapRef: { name: "missing" } }] }, 'configmap "missing" not found', false],
    [{ env: [{ name: "X", valueFrom: { fieldRef: { fieldPath: "spec.nope" } } }] }, "not supported", true],
    [{ env: [{ name: "X", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } }] }, "resourceFieldRef", true],
  ])("given %j, fails with %j (permanent: %s)", (container, message, permanent) => {
    const r = envOf(container);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.permanent).toBe(permanent);
    }
  });

  it("leaves out optional references that are missing", () => {
    const r = envOf({
      env: [{ name: "X", valueFrom: { secretKeyRef: { name: "missing", key: "k", optional: true } } }],
      envFrom: [{ secretRef: { name: "missing", optional: true } }],
    });
    expect(r.ok && Object.fromEntries(r.env)).toEqual({});
  });
});

describe("referencedSources", () => {
  it("collects the Secrets and ConfigMaps of env and envFrom", () => {
    const pod = testPod({
      containers: [
        { name: "a", image: "x", env: [{ name: "X", valueFrom: { secretKeyRef: { name: "s1", key: "k" } } }], envFrom: [{ configMapRef: { name: "c1" } }] },
        { name: "b", image: "x", env: [{ name: "Y", valueFrom: { configMapKeyRef: { name: "c2", key: "k" } } }], envFrom: [{ secretRef: { name: "s2" } }] },
      ],
    });
    const refs = referencedSources(pod.spec.containers);
    expect(refs.secrets).toEqual(new Set(["s1", "s2"]));
    expect(refs.configMaps).toEqual(new Set(["c1", "c2"]));
  });
});
