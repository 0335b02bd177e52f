import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { startControlPlane } from "../../src/local/controlplane/controlplane.ts";
import { ControlPlaneError } from "../../src/local/controlplane/errors.ts";
import { isAlive } from "../../src/local/controlplane/component.ts";
import { installCrds } from "../../src/local/cluster.ts";
import { kubectlOrThrow, runKubectl } from "../../src/local/kubectl.ts";
import { kubectl } from "../helpers/cluster.ts";
import { processesMentioning } from "../helpers/processes.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const tempDir = tempDirs();
const newHome = (): Promise<string> => tempDir("aegis-cp-test");

describe("the shared test cluster", () => {
  it("is the Kubernetes release the control-plane module pins", async () => {
    const result = await kubectl(["version", "-o", "json"]);
    expect(result.code).toBe(0);
    const { serverVersion } = JSON.parse(result.stdout) as { serverVersion: { gitVersion: string } };
    expect(serverVersion.gitVersion).toMatch(/^v1\.(3[5-9]|[4-9]\d)\.\d+$/);
  });

  it("serves the aegis.dev kinds, listed together by the aegis category", async () => {
    const result = await kubectl(["api-resources", "--categories=aegis", "-o", "name"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual(
      ["agents", "executions", "nodeconfigs", "swarms", "volumes", "workflows"].map((p) => `${p}.aegis.dev`),
    );
  });
});

describe("a control plane of its own", () => {
  it("keeps its data across a restart and leaves no process behind when stopped", { timeout: 300_000 }, async () => {
    const home = await newHome();
    const first = await startControlPlane({ home, controllerManager: false, scheduler: false });
    const kubectlBin = first.binaries.kubernetes.binaries.kubectl!;
    await installCrds(kubectlBin, first.kubeconfig);
    await kubectlOrThrow(kubectlBin, first.kubeconfig, ["create", "configmap", "survivor", "--from-literal=answer=42"]);
    const pids = first.components.map((c) => c.pid);
    await first.stop();
    expect(await processesMentioning(home)).toEqual([]);
    for (const pid of pids) expect(await processesMentioning(`${pid}`)).not.toContain(pid);

    const second = await startControlPlane({ home, controllerManager: false, scheduler: false });
    try {
      const value = await kubectlOrThrow(kubectlBin, second.kubeconfig, ["get", "configmap", "survivor", "-o", "jsonpath={.data.answer}"]);
      expect(value).toBe("42");
      const crds = await runKubectl(kubectlBin, second.kubeconfig, ["get", "crd", "executions.aegis.dev"]);
      expect(crds.code).toBe(0);
    } finally {
      await second.stop();
    }
    expect(await processesMentioning(home)).toEqual([]);
  });

  it("refuses a taken API server port with an error that names it, and cleans up", { timeout: 120_000 }, async () => {
    const home = await newHome();
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)));
    try {
      const error = await startControlPlane({ home, apiserverPort: port, controllerManager: false, scheduler: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlPlaneError);
      expect((error as ControlPlaneError).message).toContain(`port ${port} on 127.0.0.1, wanted by kube-apiserver, is already in use`);
      expect(await processesMentioning(home)).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});

describe("two starts on one home", () => {
  it("refuses the second while the first runs, naming the home and the way out", { timeout: 180_000 }, async () => {
    const home = await newHome();
    // The first start is made to belong to another live process.
    const owner = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      const first = await startControlPlane({ home, controllerManager: false, scheduler: false });
      const statePath = join(home, "control-plane.json");
      const state = JSON.parse(await readFile(statePath, "utf8")) as { ownerPid: number };
      await writeFile(statePath, JSON.stringify({ ...state, ownerPid: owner.pid }));
      const error = await startControlPlane({ home, controllerManager: false, scheduler: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlPlaneError);
      expect((error as ControlPlaneError).describe()).toMatch(/already running in .*started by pid \d+[\s\S]*hint: .*AEGIS_HOME/);
      expect(await kubectlOrThrow(first.binaries.kubernetes.binaries.kubectl!, first.kubeconfig, ["get", "--raw", "/readyz"])).toBe("ok");
      await first.stop();
    } finally {
      owner.kill();
    }
    expect(await processesMentioning(home)).toEqual([]);
  });

  it("cleans up the components of a run whose owner died, then starts", { timeout: 180_000 }, async () => {
    const home = await newHome();
    const crashed = await startControlPlane({ home, controllerManager: false, scheduler: false });
    const leftovers = crashed.components.map((c) => c.pid);
    const dead = spawn("true");
    await new Promise((resolve) => dead.on("exit", resolve));
    const statePath = join(home, "control-plane.json");
    const state = JSON.parse(await readFile(statePath, "utf8")) as { ownerPid: number };
    await writeFile(statePath, JSON.stringify({ ...state, ownerPid: dead.pid }));

    const second = await startControlPlane({ home, controllerManager: false, scheduler: false });
    try {
      for (const pid of leftovers) expect(isAlive(pid)).toBe(false);
      expect(await kubectlOrThrow(second.binaries.kubernetes.binaries.kubectl!, second.kubeconfig, ["get", "--raw", "/readyz"])).toBe("ok");
    } finally {
      await second.stop();
    }
  });
});
