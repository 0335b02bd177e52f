// `npm start` as a user runs it: it prints how to use the cluster, the cluster answers, and
// Ctrl-C stops every process it started.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kubectlOrThrow } from "../../src/local/kubectl.ts";
import { repoRoot } from "../../src/local/paths.ts";
import { eventually } from "../helpers/eventually.ts";
import { kubectlBinary } from "../helpers/cluster.ts";
import { processesMentioning } from "../helpers/processes.ts";

const ORCHESTRATOR_AND_AGENT = `
apiVersion: aegis.dev/v1alpha1
kind: NodeConfig
metadata: {name: local-orchestrator}
spec:
  type: Orchestrator
  llmProviders:
    - name: ollama
      type: ollama
      endpoint: http://127.0.0.1:11434
      models: [{alias: default, model: "llama3.1:8b"}]
---
apiVersion: aegis.dev/v1alpha1
kind: Agent
metadata: {name: hello, namespace: default}
spec:
  runtime: {language: python, version: "3.12"}
  task: {instruction: Say hello.}
`;

describe("npm start", () => {
  it("starts the local cluster and the operator in AEGIS_HOME, prints how to use it, and stops everything on Ctrl-C", { timeout: 240_000 }, async () => {
    const home = await mkdtemp(join(tmpdir(), "aegis-start-"));
    try {
      const child = spawn(process.execPath, [join(repoRoot(), "src", "local", "main.ts")], {
        env: { ...process.env, AEGIS_HOME: home, KUBECONFIG: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

      await eventually(() => expect(output).toContain("aegis local cluster is ready"), { timeoutMs: 180_000, intervalMs: 200 });
      const kubeconfig = join(home, "kubeconfig");
      expect(output).toContain(`export KUBECONFIG=${kubeconfig}`);
      expect(output).toMatch(/kubectl apply -f .*examples\/agent-coder\.yaml/);
      expect(existsSync(kubeconfig)).toBe(true);
      const nodes = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "nodes", "-o", "name"]);
      expect(nodes.trim()).toBe("node/aegis-local");
      const crds = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "crd", "-o", "name"]);
      expect(crds).toContain("customresourcedefinition.apiextensions.k8s.io/agents.aegis.dev");

      // The operator runs and reconciles: an Agent whose model an orchestrator serves turns Ready.
      await kubectlOrThrow(kubectlBinary(), kubeconfig, ["apply", "-f", "-"], ORCHESTRATOR_AND_AGENT);
      await eventually(async () => {
        const ready = await kubectlOrThrow(kubectlBinary(), kubeconfig, [
          "get", "agent", "hello", "-n", "default", "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`,
        ]);
        expect(ready).toBe("True");
      }, { timeoutMs: 60_000, message: "the operator makes the agent Ready" });

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(output).toContain("Stopped.");
      expect(await processesMentioning(home)).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
