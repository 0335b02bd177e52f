/**
 * The local node aegis-local against the real control plane: pods bound to it run as local
 * processes and report real status; `kubectl logs` (and `-f`) go through the API server to the
 * node's kubelet API; env and volumes from Secrets and ConfigMaps reach the process; deadlines
 * and deletions kill the process. Every wait is on state, never a sleep.
 */
import { randomInt } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Container, V1Pod, V1PodSpec } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { core, createNamespace, deleteNamespace, eventually, hasLocalNode, kubectl } from "../helpers/cluster.ts";
import { processesMentioning } from "../helpers/processes.ts";

const NODE = "aegis-local";

function pod(name: string, containers: V1Container[], spec: Partial<V1PodSpec> = {}): V1Pod {
  return { metadata: { name }, spec: { nodeName: NODE, restartPolicy: "Never", containers, ...spec } };
}

function sh(script: string, extra: Partial<V1Container> = {}): V1Container {
  return { name: "main", image: "busybox", command: ["sh", "-c", script], ...extra };
}

/** A command line no other process has, so the test can find its process. */
function uniqueSleep(): string {
  return `sleep ${randomInt(100_000, 999_999)}`;
}

describe.skipIf(!hasLocalNode())("local node aegis-local", () => {
  let ns: string;

  beforeAll(async () => {
    ns = await createNamespace("local-node");
  });
  afterAll(async () => {
    await deleteNamespace(ns);
  });

  const create = (p: V1Pod): Promise<V1Pod> => core().createNamespacedPod({ namespace: ns, body: p });
  const read = (name: string): Promise<V1Pod> => core().readNamespacedPod({ name, namespace: ns });
  const waitPhase = (name: string, phase: string, timeoutMs = 60_000): Promise<V1Pod> =>
    eventually(
      async () => {
        const p = await read(name);
        if (p.status?.phase !== phase) throw new Error(`pod ${name} is ${p.status?.phase ?? "<none>"}, want ${phase}`);
        return p;
      },
      { timeoutMs, message: `pod ${name} ${phase}` },
    );

  it("runs a command to Succeeded with exit code 0, times and logs", async () => {
    await create(pod("hello", [sh("echo hello from $(POD_NAME) on $(NODE)", {
      env: [
        { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      ],
    })]));
    const p = await waitPhase("hello", "Succeeded");
    const state = p.status?.containerStatuses?.[0]?.state?.terminated;
    expect(state?.exitCode).toBe(0);
    expect(state?.reason).toBe("Completed");
    expect(state?.startedAt).toBeTruthy();
    expect(state?.finishedAt).toBeTruthy();
    expect(p.status?.startTime).toBeTruthy();
    expect(p.status?.podIP).toBe("127.0.0.1");
    expect(p.status?.conditions?.find((c) => c.type === "Ready")?.reason).toBe("PodCompleted");
    const logs = await kubectl(["logs", "hello"], { namespace: ns });
    expect(logs.stderr).toBe("");
    expect(logs.stdout).toBe("hello from hello on aegis-local\n");
  });

  it("ends a failing command Failed with its exit code", async () => {
    await create(pod("fails", [sh("echo about to fail >&2; exit 7")]));
    const p = await waitPhase("fails", "Failed");
    const state = p.status?.containerStatuses?.[0]?.state?.terminated;
    expect(state?.exitCode).toBe(7);
    expect(state?.reason).toBe("Error");
    expect((await kubectl(["logs", "fails"], { namespace: ns })).stdout).toBe("about to fail\n");
  });

  it("fails a pod whose command cannot be found, saying why", async () => {
    await create(pod("no-such-command", [{ name: "main", image: "busybox", command: ["aegis-no-such-command"] }]));
    const p = await waitPhase("no-such-command", "Failed");
    const state = p.status?.containerStatuses?.[0]?.state?.terminated;
    expect(state?.reason).toBe("StartError");
    expect(state?.message).toContain("aegis-no-such-command");
  });

  it("fails a pod it cannot run (an unmapped image, an unsupported volume) with a clear reason", async () => {
    await create(pod("unmapped", [{ name: "main", image: "ghcr.io/acme/not-in-the-image-map:1", command: ["true"] }]));
    await create(
      pod("pvc", [sh("true", { volumeMounts: [{ name: "data", mountPath: "/data" }] })], {
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "nope" } }],
      }),
    );
    const unmapped = await waitPhase("unmapped", "Failed");
    expect(unmapped.status?.reason).toBe("ImageNotMapped");
    expect(unmapped.status?.message).toContain("ghcr.io/acme/not-in-the-image-map:1");
    const pvc = await waitPhase("pvc", "Failed");
    expect(pvc.status?.reason).toBe("UnsupportedPodSpec");
    expect(pvc.status?.message).toContain("persistentVolumeClaim");
  });

  it("restarts a failing container under OnFailure and counts the restarts", async () => {
    // Fails on the first run, succeeds on the second: the emptyDir keeps the count.
    const script = 'f=$AEGIS_MOUNT_DATA/runs; echo x >> $f; test "$(wc -l < $f)" -ge 2';
    await create(
      pod("on-failure", [sh(script, { volumeMounts: [{ name: "data", mountPath: "/data" }] })], {
        restartPolicy: "OnFailure",
        volumes: [{ name: "data", emptyDir: {} }],
      }),
    );
    const p = await waitPhase("on-failure", "Succeeded");
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
  });

  it("follows logs with kubectl logs -f until the container ends", async () => {
    // The second line waits for a file the test creates in a hostPath volume, so -f is
    // following by then; the output after it must still arrive, and -f must then end.
    const gate = await mkdtemp(join(tmpdir(), "aegis-gate-"));
    const script = "echo first; while [ ! -e $AEGIS_MOUNT_GATE/open ]; do sleep 0.1; done; echo second";
    await create(
      pod("follow", [sh(script, { volumeMounts: [{ name: "gate", mountPath: "/gate" }] })], {
        volumes: [{ name: "gate", hostPath: { path: gate, type: "Directory" } }],
      }),
    );
    await waitPhase("follow", "Running");
    const following = kubectl(["logs", "-f", "follow"], { namespace: ns });
    await eventually(async () => {
      expect((await kubectl(["logs", "follow"], { namespace: ns })).stdout).toBe("first\n");
    });
    await writeFile(join(gate, "open"), "");
    const result = await following;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("first\nsecond\n");
    await waitPhase("follow", "Succeeded");
    await rm(gate, { recursive: true, force: true });
  });

  it("passes env from a Secret and a ConfigMap, and mounts a secret volume", async () => {
    await core().createNamespacedSecret({ namespace: ns, body: { metadata: { name: "creds" }, stringData: { token: "s3cr3t", user: "ada" } } });
    await core().createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "settings" }, data: { MODE: "fast", level: "3" } } });
    const script = 'echo "token=$TOKEN mode=$MODE level=$CFG_level"; cat $AEGIS_MOUNT_CREDS/token; echo; cat $AEGIS_POD_ROOT/etc/creds/user; echo; pwd';
    await create(
      pod(
        "env-and-volume",
        [
          sh(script, {
            env: [
              { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
              { name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "MODE" } } },
            ],
            envFrom: [{ configMapRef: { name: "settings" }, prefix: "CFG_" }],
            volumeMounts: [{ name: "creds", mountPath: "/etc/creds", readOnly: true }],
            workingDir: "/etc/creds",
          }),
        ],
        { volumes: [{ name: "creds", secret: { secretName: "creds" } }] },
      ),
    );
    await waitPhase("env-and-volume", "Succeeded");
    const lines = (await kubectl(["logs", "env-and-volume"], { namespace: ns })).stdout.split("\n");
    expect(lines[0]).toBe("token=s3cr3t mode=fast level=3");
    expect(lines[1]).toBe("s3cr3t");
    expect(lines[2]).toBe("ada");
    expect(lines[3]).toMatch(/\/root\/etc\/creds$/);
  });

  it("writes the service-account token of the default projected volume", async () => {
    const script = "test -s $AEGIS_POD_ROOT/var/run/secrets/kubernetes.io/serviceaccount/token && cat $AEGIS_POD_ROOT/var/run/secrets/kubernetes.io/serviceaccount/namespace";
    await create(pod("token", [sh(script)]));
    await waitPhase("token", "Succeeded");
    expect((await kubectl(["logs", "token"], { namespace: ns })).stdout).toBe(ns);
  });

  it("kills a pod past activeDeadlineSeconds and ends it Failed with DeadlineExceeded", async () => {
    const command = uniqueSleep();
    await create(pod("deadline", [sh(`exec ${command}`)], { activeDeadlineSeconds: 2, terminationGracePeriodSeconds: 1 }));
    const p = await waitPhase("deadline", "Failed");
    expect(p.status?.reason).toBe("DeadlineExceeded");
    expect(await processesMentioning(command)).toEqual([]);
  });

  it("kills the process of a deleted running pod, then the pod goes away", async () => {
    const command = uniqueSleep();
    await create(pod("deleted", [sh(`${command} & wait`)], { terminationGracePeriodSeconds: 2 }));
    await waitPhase("deleted", "Running");
    const [pid] = await eventually(async () => {
      const pids = await processesMentioning(command);
      expect(pids.length).toBeGreaterThan(0);
      return pids;
    });
    await core().deleteNamespacedPod({ name: "deleted", namespace: ns });
    await eventually(
      async () => {
        await read("deleted").then(
          () => {
            throw new Error("pod still exists");
          },
          () => undefined,
        );
      },
      { message: "pod deleted gone" },
    );
    expect(() => process.kill(pid ?? -1, 0)).toThrow();
    expect(await processesMentioning(command)).toEqual([]);
  });

  it("never touches pods bound to other nodes", async () => {
    await create(pod("elsewhere", [sh("echo should not run")], { nodeName: "kwok-node-that-is-not-aegis" }));
    await create(pod("marker", [sh("true")]));
    await waitPhase("marker", "Succeeded");
    const other = await read("elsewhere");
    expect(other.status?.phase).toBe("Pending");
    expect(other.status?.containerStatuses ?? []).toEqual([]);
  });
});
