import { describe, expect, it } from "vitest";
import { FACTS, testPod } from "./test-pods.ts";
import { mountEnvName, planVolume, safeRelativePath, underRoot, volumeSourceNames, type VolumeSources } from "./volumes.ts";

const sources: VolumeSources = {
  secrets: new Map([["creds", { token: Buffer.from("s3cr3t"), user: Buffer.from("ada") }]]),
  configMaps: new Map([["kube-root-ca.crt", { "ca.crt": Buffer.from("CA") }]]),
};

function plan(volume: Record<string, unknown>) {
  const pod = testPod({ volumes: [{ name: "v", ...volume }] });
  const v = pod.spec.volumes[0];
  if (!v) throw new Error("no volume");
  return planVolume(pod, FACTS, v, sources);
}

const files = (r: ReturnType<typeof plan>) =>
  r.ok && r.plan.kind === "dir" ? r.plan.files.map((f) => [f.path, f.content.toString(), f.mode.toString(8)]) : r;

describe("planVolume", () => {
  it("makes an emptyDir an empty directory and uses a hostPath as it is", () => {
    expect(plan({ emptyDir: {} })).toEqual({ ok: true, plan: { kind: "dir", files: [], tokens: [] } });
    expect(plan({ hostPath: { path: "/tmp/x/../data" } })).toEqual({ ok: true, plan: { kind: "hostPath", path: "/tmp/data" } });
  });

  it("writes every key of a secret, or the chosen items with their paths and modes", () => {
    expect(files(plan({ secret: { secretName: "creds" } }))).toEqual([
      ["token", "s3cr3t", "644"],
      ["user", "ada", "644"],
    ]);
    expect(files(plan({ secret: { secretName: "creds", defaultMode: 0o400, items: [{ key: "token", path: "a/b/t" }, { key: "user", path: "u", mode: 0o600 }] } }))).toEqual([
      ["a/b/t", "s3cr3t", "400"],
      ["u", "ada", "600"],
    ]);
  });

  it("plans the default kube-api-access projected volume", () => {
    const r = plan({
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
      },
    });
    expect(files(r)).toEqual([
      ["ca.crt", "CA", "644"],
      ["namespace", "ns", "644"],
    ]);
    expect(r.ok && r.plan.kind === "dir" && r.plan.tokens).toEqual([{ path: "token", audience: undefined, expirationSeconds: 3607, mode: 420 }]);
  });

  it.each([
    [{ secret: { secretName: "missing" } }, 'secret "missing" not found', false],
    [{ secret: { secretName: "creds", items: [{ key: "nope", path: "x" }] } }, 'key "nope" not found', false],
    [{ configMap: { name: "missing" } }, 'configmap "missing" not found', false],
    [{ secret: { secretName: "creds", items: [{ key: "token", path: "../escape" }] } }, "must be relative", true],
    [{ persistentVolumeClaim: { claimName: "c" } }, "persistentVolumeClaim is not supported", true],
    [{ downwardAPI: { items: [{ path: "x", fieldRef: { fieldPath: "spec.nope" } }] } }, "not supported", true],
  ])("given %j, fails with %j (permanent: %s)", (volume, message, permanent) => {
    const r = plan(volume);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.permanent).toBe(permanent);
    }
  });

  it("skips what is missing when optional", () => {
    expect(files(plan({ secret: { secretName: "missing", optional: true } }))).toEqual([]);
    expect(files(plan({ secret: { secretName: "creds", optional: true, items: [{ key: "nope", path: "x" }] } }))).toEqual([]);
  });
});

describe("paths", () => {
  it.each([
    ["/workspace", "/home/p/root/workspace"],
    ["workspace/", "/home/p/root/workspace"],
    ["/../../etc", "/home/p/root/etc"],
    ["/", "/home/p/root"],
  ])("underRoot(%j) = %j", (p, expected) => {
    expect(underRoot("/home/p/root", p)).toBe(expected);
  });

  it.each(["", "/abs", "..", "../x", "a/../../x"])("safeRelativePath rejects %j", (p) => {
    expect(() => safeRelativePath(p)).toThrow();
  });

  it("names the mount env var after the volume", () => {
    expect(mountEnvName("kube-api-access-x7q.z")).toBe("AEGIS_MOUNT_KUBE_API_ACCESS_X7Q_Z");
  });

  it("lists the Secrets and ConfigMaps volumes use", () => {
    const pod = testPod({
      volumes: [
        { name: "a", secret: { secretName: "s1" } },
        { name: "b", configMap: { name: "c1" } },
        { name: "c", projected: { sources: [{ secret: { name: "s2" } }, { configMap: { name: "c2" } }] } },
      ],
    });
    expect(volumeSourceNames(pod.spec.volumes)).toEqual({ secrets: new Set(["s1", "s2"]), configMaps: new Set(["c1", "c2"]) });
  });
});
