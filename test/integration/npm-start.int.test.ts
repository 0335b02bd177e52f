// `npm start` as a user runs it: it runs the hello example end to end with the scripted model
// (no provider key set), prints how to watch and use the cluster, the cluster answers, another
// run created with kubectl succeeds, and Ctrl-C stops every process it started.
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubectlOrThrow, runKubectl } from "../../src/local/kubectl.ts";
import { repoRoot } from "../../src/local/paths.ts";
import { eventually } from "../helpers/eventually.ts";
import { kubectlBinary } from "../helpers/cluster.ts";
import { processesMentioning } from "../helpers/processes.ts";

describe("npm start", () => {
  it("starts the cluster and the operator, runs the example end to end, prints how to watch it, and stops everything on Ctrl-C", { timeout: 240_000 }, async () => {
    const home = await mkdtemp(join(tmpdir(), "aegis-start-"));
    // mkdtemp makes it 0700; run as root, the embedded PostgreSQL (user postgres) must enter it.
    await chmod(home, 0o711);
    try {
      const child = spawn(process.execPath, [join(repoRoot(), "src", "local", "main.ts")], {
        env: { ...process.env, AEGIS_HOME: home, KUBECONFIG: "", OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", OLLAMA_HOST: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

      await eventually(() => expect(output).toContain("aegis local cluster is ready"), { timeoutMs: 180_000, intervalMs: 200 });
      const kubeconfig = join(home, "kubeconfig");
      expect(output).toContain(`export KUBECONFIG=${kubeconfig}`);
      // The example ran: refined once, then passed, phase by phase as a watch shows it.
      expect(output).toContain("the hello agent with the scripted model server");
      expect(output).toMatch(/hello-\w+ {2}Refining {2}iteration 1\/3/);
      expect(output).toMatch(/hello-\w+ {2}Succeeded {2}iteration 2\/3 {2}score 1/);
      expect(output).toMatch(/output: .*DONE/);
      expect(output).toContain("kubectl get executions -w");
      expect(output).toMatch(/kubectl create -f .*examples\/local\/execution-hello\.yaml/);
      expect(existsSync(kubeconfig)).toBe(true);
      const nodes = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "nodes", "-o", "name"]);
      expect(nodes.trim()).toBe("node/aegis-local");
      const crds = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "crd", "-o", "name"]);
      expect(crds).toContain("customresourcedefinition.apiextensions.k8s.io/agents.aegis.dev");

      // Another run, as the printed hint says: it succeeds too, and its file is on its workspace.
      const created = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["create", "-f", join(repoRoot(), "examples", "local", "execution-hello.yaml"), "-o", "name"]);
      const name = created.trim().replace(/^execution\.aegis\.dev\//, "");
      await eventually(async () => {
        const phase = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "execution", name, "-n", "default", "-o", "jsonpath={.status.phase}"]);
        expect(phase).toBe("Succeeded");
      }, { timeoutMs: 60_000, message: `${name} Succeeded` });
      // Its transcript, as the printed hint reads it: the transcript reader's token, checked by the gateway.
      const hint = /npx aegis logs -f <name> --gateway (http:\/\/127\.0\.0\.1:\d+) --token "\$\(kubectl create token transcript-reader\)"/.exec(output);
      expect(hint, "the logs hint").not.toBeNull();
      const token = (await kubectlOrThrow(kubectlBinary(), kubeconfig, ["create", "token", "transcript-reader", "-n", "default"])).trim();
      const logs = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(repoRoot(), "src", "cli", "aegis.ts"), "logs", name, "-n", "default", "--gateway", hint![1]!, "--token", token],
          { env: { ...process.env, KUBECONFIG: kubeconfig, AEGIS_TOKEN: "", AEGIS_GATEWAY_URL: "" } },
          (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }));
      });
      expect(logs.stderr).toBe("");
      expect(logs.code).toBe(0);
      expect(logs.stdout).toMatch(/tool fs\.write allow/);
      expect(logs.stdout.trimEnd().split("\n").at(-1)).toMatch(/^execution finished: Succeeded/);

      // Admission is fail-closed through the operator's webhooks: a bad Agent is denied, naming the field.
      const badAgent = JSON.stringify({
        apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "bad-pattern", namespace: "default" },
        spec: { runtime: { image: "example.com/img:1" }, task: { instruction: "x" }, execution: { validation: [{ type: "Regex", pattern: "(unclosed" }] } },
      });
      const denied = await runKubectl(kubectlBinary(), kubeconfig, ["apply", "--server-side", "-f", "-"], { input: badAgent });
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/spec\.execution\.validation\[0\]\.pattern: not a valid RE2 pattern/);
      const configurations = await kubectlOrThrow(kubectlBinary(), kubeconfig, ["get", "validatingwebhookconfigurations", "-o", "name"]);
      expect(configurations).toContain("aegis-validating-webhooks");

      const pods = (await readdir(join(home, "node", "pods"))).map((uid) => join(home, "node", "pods", uid, "volumes", "workspace", "hello.txt"));
      expect(pods.filter((file) => existsSync(file)).length).toBeGreaterThanOrEqual(2);

      // Agents are held to their namespace's Cedar policies (labelled ConfigMaps), edits applying without a restart.
      const forbid = JSON.stringify({
        apiVersion: "v1", kind: "ConfigMap", metadata: { name: "no-shell", namespace: "default", labels: { "aegis.dev/policy": "true" } },
        data: { "admission.cedar": '@id("no-shell")\nforbid (principal, action == Action::"agent:declareTool", resource == Tool::"cmd.run");' },
      });
      await kubectlOrThrow(kubectlBinary(), kubeconfig, ["apply", "-f", "-"], forbid);
      const shellAgent = JSON.stringify({
        apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "shell", namespace: "default" },
        spec: { runtime: { image: "example.com/img:1" }, task: { instruction: "x" }, tools: ["fs.read", "cmd.run"] },
      });
      await eventually(async () => {
        const refused = await runKubectl(kubectlBinary(), kubeconfig, ["create", "--dry-run=server", "-f", "-"], { input: shellAgent });
        expect(refused.stderr).toContain("spec.tools[1]: denied by policy default/no-shell/admission.cedar:no-shell");
      }, { timeoutMs: 20_000, message: "the namespace's forbid denies the Agent" });

      // The operator ran as its ServiceAccount, under exactly the shipped RBAC, and nothing was refused.
      // (Names and keys only: a failure must not print the token.)
      const { users } = parse(await readFile(join(home, "aegis-operator.kubeconfig"), "utf8")) as { users: { name: string; user: object }[] };
      expect(users.map((u) => [u.name, Object.keys(u.user)])).toEqual([["system:serviceaccount:aegis-system:aegis-operator", ["token"]]]);
      expect(await readFile(join(home, "logs", "aegis-operator.log"), "utf8")).not.toMatch(/forbidden/i);

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(output).toContain("Stopped.");
      expect(await processesMentioning(home)).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
