import { describe, expect, it } from "vitest";
import { buildLease, microTime } from "./lease.ts";
import { buildNode, buildNodeStatus, kubeArch, type MachineFacts } from "./registration.ts";

const facts: MachineFacts = {
  cpus: 4,
  memoryBytes: 8 * 1024 * 1024 * 1024,
  maxPods: 110,
  ephemeralStorageBytes: 100 * 1024 * 1024,
  arch: "amd64",
  kernelVersion: "6.1.0",
  osImage: "Debian GNU/Linux 12",
  machineID: "m",
  bootID: "b",
};
const now = new Date("2026-01-01T00:00:05.250Z");
const since = new Date("2026-01-01T00:00:00Z");

describe("the Node object", () => {
  it("carries the labels the scheduler and users select on", () => {
    const node = buildNode("aegis-local", facts) as { metadata: { labels: Record<string, string> } };
    expect(node.metadata.labels).toMatchObject({
      "kubernetes.io/hostname": "aegis-local",
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "node.aegis.dev/local": "true",
      type: "aegis-local",
    });
  });

  it("reports Ready, capacity, addresses and the kubelet port", () => {
    const status = buildNodeStatus({ name: "aegis-local", ready: true, port: 12345, facts, now, readySince: since });
    expect(status).toMatchObject({
      capacity: { cpu: "4", memory: "8388608Ki", pods: "110", "ephemeral-storage": "102400Ki" },
      allocatable: { cpu: "4", memory: "8388608Ki", pods: "110" },
      addresses: [
        { type: "InternalIP", address: "127.0.0.1" },
        { type: "Hostname", address: "aegis-local" },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 12345 } },
      nodeInfo: { operatingSystem: "linux", architecture: "amd64", kernelVersion: "6.1.0" },
    });
    const ready = (status.conditions as { type: string }[]).find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "True", reason: "KubeletReady", lastHeartbeatTime: "2026-01-01T00:00:05Z", lastTransitionTime: "2026-01-01T00:00:00Z" });
  });

  it("reports NotReady when stopping", () => {
    const status = buildNodeStatus({ name: "aegis-local", ready: false, port: 1, facts, now, readySince: now });
    expect((status.conditions as { type: string; status: string }[]).find((c) => c.type === "Ready")?.status).toBe("False");
  });

  it.each([
    ["x64", "amd64"],
    ["arm64", "arm64"],
    ["ia32", "386"],
    ["mips", "mips"],
  ])("spells arch %s as %s", (arch, expected) => {
    expect(kubeArch(arch)).toBe(expected);
  });
});

describe("the Lease", () => {
  it("holds the node's name, its duration and a MicroTime renewal", () => {
    expect(buildLease("aegis-local", "uid-1", now)).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "aegis-local", namespace: "kube-node-lease", ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "aegis-local", uid: "uid-1" }] },
      spec: { holderIdentity: "aegis-local", leaseDurationSeconds: 40, renewTime: "2026-01-01T00:00:05.250000Z" },
    });
  });

  it("writes six fractional digits", () => {
    expect(microTime(new Date("2026-01-01T00:00:00Z"))).toBe("2026-01-01T00:00:00.000000Z");
  });
});
