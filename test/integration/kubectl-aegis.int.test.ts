// The kubectl plugin (src/cli/aegis.ts, installed as kubectl-aegis) run as a subprocess against
// the test cluster: describe, cancel and events on an Execution whose status the test writes
// itself (no operator), run (with --watch following phases to the exit code), and the errors.
import { execFile, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createKubeClient } from "../../src/kube/client.ts";
import { buildEvent } from "../../src/kube/events.ts";
import { EVENTS, EXECUTIONS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig, kubeconfigPath } from "../helpers/cluster.ts";
import type { ExecutionObject } from "../helpers/executions.ts";
import { tempDirs } from "../helpers/temp-dirs.ts";

const tempDir = tempDirs();
const CLI = join(import.meta.dirname, "../../src/cli/aegis.ts");

interface Result { code: number | null; stdout: string; stderr: string }

/** Runs the CLI with the test kubeconfig (or `env` overrides); never a TTY, so no colours. */
function aegis(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, KUBECONFIG: kubeconfigPath(), ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

let namespace: string;
let kube: KubeClient;
beforeAll(async () => {
  namespace = await createNamespace("kubectl-aegis");
  kube = createKubeClient(kubeConfig());
});
afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

const createExecution = (name: string, agent = "coder") =>
  kube.create<ExecutionObject>(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, spec: { agentRef: { name: agent } } });

const writeStatus = (name: string, status: Record<string, unknown>) =>
  kube.applyStatus(EXECUTIONS, { apiVersion: "aegis.dev/v1alpha1", kind: "Execution", metadata: { name, namespace }, status }, { fieldManager: "test-controller", force: true });

const FINISHED = {
  phase: "Failed", reason: "MaxIterationsReached", message: "2 iterations, best score 0.40", iteration: 2, maxIterations: 2, iterationDisplay: "2/2", score: 0.4,
  tokens: 1500, inputTokens: 1000, outputTokens: 500, cost: 0.0123, outputPreview: "def add(a, b):\n    return a - b",
  iterations: [
    { number: 1, phase: "Failed", exitCode: 0, score: 0.2, confidence: 0.9, feedback: "add(1, 2) returned -1, expected 3" },
    { number: 2, phase: "Failed", exitCode: 3, score: 0.4, confidence: 0.7, feedback: "still wrong" },
  ],
};

describe("describe, events and cancel", () => {
  const name = "described";
  beforeAll(async () => {
    const ex = await createExecution(name);
    await writeStatus(name, FINISHED);
    const options = { reportingController: "aegis.dev/execution-controller", reportingInstance: "test", suffix: "" };
    const regarding = { ...ex, apiVersion: "aegis.dev/v1alpha1", kind: "Execution" };
    // Created newest first: the CLI must sort them.
    await kube.create(EVENTS, buildEvent(regarding, "Warning", "MaxIterationsReached", "gave up after 2 iterations", "Finish", { ...options, now: new Date(Date.now() - 10_000) }));
    await kube.create(EVENTS, buildEvent(regarding, "Normal", "IterationStarted", "iteration 1 started", "Run", { ...options, now: new Date(Date.now() - 60_000) }));
  });

  it("describe prints the run and its iterations table, without colours off a TTY", async () => {
    const r = await aegis(["describe", name, "-n", namespace]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stdout).toContain(`Name:        ${name}`);
    expect(r.stdout).toContain("Phase:       Failed (MaxIterationsReached)");
    expect(r.stdout).toContain("Tokens:      1500 (input 1000, output 500)");
    expect(r.stdout).toContain("Cost:        $0.0123");
    expect(r.stdout).toContain("    return a - b");
    const rows = r.stdout.split("\n").filter((l) => /^ {2}(#|\d) /.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ["#", "PHASE", "EXIT", "SCORE", "CONFIDENCE", "FEEDBACK"],
      ["1", "Failed", "0", "0.20", "0.90", "add(1, 2) returned -1, expected 3"],
      ["2", "Failed", "3", "0.40", "0.70", "still wrong"],
    ]);
  });

  it("describe -o json and -o yaml print the Execution for scripts", async () => {
    const json = await aegis(["describe", name, "-n", namespace, "-o", "json"]);
    expect(json.code).toBe(0);
    const obj = JSON.parse(json.stdout) as ExecutionObject;
    expect(obj.status?.iterations?.map((i) => i.feedback)).toEqual(["add(1, 2) returned -1, expected 3", "still wrong"]);
    expect(obj.metadata.managedFields).toBeUndefined();
    const yaml = await aegis(["describe", name, "-n", namespace, "-o", "yaml"]);
    expect((parse(yaml.stdout) as ExecutionObject).status?.phase).toBe("Failed");
  });

  it("events lists the Execution's events.k8s.io Events oldest first", async () => {
    const r = await aegis(["events", name, "-n", namespace]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(["AGE", "TYPE", "REASON", "FROM", "MESSAGE"]);
    expect(rows.slice(1).map((row) => row.slice(1))).toEqual([
      ["Normal", "IterationStarted", "aegis.dev/execution-controller", "iteration 1 started"],
      ["Warning", "MaxIterationsReached", "aegis.dev/execution-controller", "gave up after 2 iterations"],
    ]);
    const json = JSON.parse((await aegis(["events", name, "-n", namespace, "-o", "json"])).stdout) as { reason: string }[];
    expect(json.map((e) => e.reason)).toEqual(["IterationStarted", "MaxIterationsReached"]);
  });

  it("cancel applies spec.cancel: true as the field manager kubectl-aegis", async () => {
    await createExecution("to-cancel");
    const r = await aegis(["cancel", "to-cancel", "-n", namespace]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("execution to-cancel cancel requested");
    const ex = await kube.get<ExecutionObject>(EXECUTIONS, namespace, "to-cancel");
    expect((ex.spec as { cancel?: boolean; agentRef?: unknown }).cancel).toBe(true);
    expect((ex.spec as { agentRef?: unknown }).agentRef).toEqual({ name: "coder" });
    const managers = (ex.metadata.managedFields ?? []).filter((m) => m.manager === "kubectl-aegis");
    expect(managers).toHaveLength(1);
    expect(managers[0]?.operation).toBe("Apply");
    expect(JSON.stringify(managers[0]?.fieldsV1)).toContain("f:cancel");
  });
});

describe("run", () => {
  it("creates an Execution of the agent with the input and prints its name", async () => {
    const dir = await tempDir("kubectl-aegis");
    writeFileSync(join(dir, "input.json"), JSON.stringify({ task: "add two numbers" }));
    const r = await aegis(["run", "coder", "-n", namespace, "--input", `@${join(dir, "input.json")}`]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const name = r.stdout.trim();
    expect(name).toMatch(/^coder-[a-z0-9]{5}$/);
    const ex = await kube.get<ExecutionObject>(EXECUTIONS, namespace, name);
    expect(ex.spec).toMatchObject({ agentRef: { name: "coder" }, input: { task: "add two numbers" } });

    const inline = await aegis(["run", "coder", "-n", namespace, "--input", '{"n":2}', "-o", "json"]);
    expect((JSON.parse(inline.stdout) as ExecutionObject).spec).toMatchObject({ input: { n: 2 } });
  });

  for (const [phase, code] of [["Succeeded", 0], ["Cancelled", 1]] as const) {
    it(`--watch follows the phases until ${phase} and exits ${code}`, async () => {
      const agent = `watch-${phase.toLowerCase()}`;
      const child = spawn(process.execPath, [CLI, "run", agent, "-n", namespace, "--watch"], { env: { ...process.env, KUBECONFIG: kubeconfigPath() } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      const name = await eventually(async () => {
        const line = stdout.split("\n")[0] ?? "";
        expect(line).toMatch(new RegExp(`^${agent}-`));
        return line;
      }, { message: "the run's name" });
      await eventually(async () => expect(stdout).toContain(`${name}  Pending`), { message: "the Pending line" });
      await writeStatus(name, { phase: "Running", iteration: 1, maxIterations: 3, iterationDisplay: "1/3" });
      await eventually(async () => expect(stdout).toContain(`${name}  Running  iteration 1/3`), { message: "the Running line" });
      await writeStatus(name, { phase, iteration: 1, maxIterations: 3, iterationDisplay: "1/3", score: 0.9, reason: phase === "Succeeded" ? "ValidatorsPassed" : "Cancelled" });
      expect(await exited).toBe(code);
      expect(stderr).toBe(""); // no progress line off a TTY
      expect(stdout.trim().split("\n").at(-1)).toBe(`${name}  ${phase}  iteration 1/3  score 0.90  (${phase === "Succeeded" ? "ValidatorsPassed" : "Cancelled"})`);
    });
  }
});

/** The CLI on a pseudo-terminal (util-linux `script`): stdout and stderr both arrive in stdout. */
function aegisOnTty(args: readonly string[], env: Record<string, string> = {}): { output: () => string; exited: Promise<number | null> } {
  const quote = (a: string): string => `'${a.replaceAll("'", "'\\''")}'`;
  const child = spawn("script", ["-qec", [process.execPath, CLI, ...args].map(quote).join(" "), "/dev/null"], {
    env: { ...process.env, KUBECONFIG: kubeconfigPath(), NO_COLOR: "", ...env },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => { output += d.toString(); });
  return { output: () => output, exited: new Promise((resolve) => child.on("exit", resolve)) };
}

describe.skipIf(!existsSync("/usr/bin/script"))("on a terminal", () => {
  it("colours the phases, unless NO_COLOR is set", async () => {
    await createExecution("coloured");
    await writeStatus("coloured", FINISHED);
    const tty = aegisOnTty(["describe", "coloured", "-n", namespace]);
    expect(await tty.exited).toBe(0);
    expect(tty.output()).toContain("\u001b[31mFailed\u001b[0m");
    const noColour = aegisOnTty(["describe", "coloured", "-n", namespace], { NO_COLOR: "1" });
    expect(await noColour.exited).toBe(0);
    expect(noColour.output()).toContain("Phase:       Failed (MaxIterationsReached)");
    expect(noColour.output()).not.toContain("\u001b[3");
  });

  it("run --watch shows a progress line while it waits", async () => {
    const tty = aegisOnTty(["run", "progress", "-n", namespace, "--watch"]);
    const name = await eventually(async () => {
      const match = /progress-[a-z0-9]{5}/.exec(tty.output());
      expect(match).not.toBeNull();
      return match?.[0] ?? "";
    }, { message: "the run's name" });
    await eventually(async () => expect(tty.output()).toMatch(new RegExp(`waiting for ${name}: Pending \\(\\d+s\\)`)), { message: "the progress line" });
    await writeStatus(name, { phase: "Succeeded", iteration: 1, maxIterations: 1, iterationDisplay: "1/1", score: 1, reason: "ValidatorsPassed" });
    expect(await tty.exited).toBe(0);
    expect(tty.output()).toContain("ValidatorsPassed");
  });
});

describe("errors", () => {
  it("an unknown execution: a plain message and exit 1", async () => {
    for (const command of ["describe", "events", "cancel"]) {
      const r = await aegis([command, "nope", "-n", namespace]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`execution nope not found in namespace ${namespace}`);
      expect(r.stdout).toBe("");
    }
    await expect(kube.get(EXECUTIONS, namespace, "nope")).rejects.toMatchObject({ reason: "NotFound" }); // cancel created nothing
  });

  it("no cluster: a missing kubeconfig or an unreachable server, exit 1", async () => {
    const missing = await aegis(["describe", "x", "-n", namespace], { KUBECONFIG: "/nonexistent/kubeconfig" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cannot load KUBECONFIG=\/nonexistent\/kubeconfig: .*ENOENT/);

    const dir = await tempDir("kubectl-aegis");
    const bogus = join(dir, "kubeconfig");
    writeFileSync(bogus, JSON.stringify({
      apiVersion: "v1", kind: "Config", "current-context": "bogus",
      clusters: [{ name: "bogus", cluster: { server: "https://127.0.0.1:1" } }],
      users: [{ name: "bogus", user: { token: "x" } }],
      contexts: [{ name: "bogus", context: { cluster: "bogus", user: "bogus" } }],
    }));
    const unreachable = await aegis(["describe", "x"], { KUBECONFIG: bogus });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^cannot reach the Kubernetes API server/);
    const run = await aegis(["run", "coder"], { KUBECONFIG: bogus });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cannot create an execution of agent coder in namespace default: cannot reach the Kubernetes API server/);
  });

  it("bad flags: the usage and exit 2", async () => {
    const cases = [["describe", "x", "--bogus"], ["describe"], ["run", "coder", "--input", "{nope"], ["events", "x", "-o", "wide"], ["frobnicate"], []];
    for (const args of cases) {
      const r = await aegis(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain("usage: kubectl aegis");
    }
  });

  it("logs needs a bearer token: a client-certificate kubeconfig without --token is a clear error, exit 1", async () => {
    // The stream itself: test/integration/kubectl-aegis-logs.int.test.ts.
    const r = await aegis(["logs", "-f", "x"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^the kubeconfig user has no bearer token .*--token or AEGIS_TOKEN$/);
  });
});
