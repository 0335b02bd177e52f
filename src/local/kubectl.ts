/** Runs the kubectl built with the control plane against a kubeconfig. */
import { spawn } from "node:child_process";

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runKubectl(
  kubectl: string,
  kubeconfig: string,
  args: readonly string[],
  options: { input?: string; namespace?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  const fullArgs = [`--kubeconfig=${kubeconfig}`, ...(options.namespace ? [`--namespace=${options.namespace}`] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, fullArgs, { stdio: ["pipe", "pipe", "pipe"], timeout: options.timeoutMs ?? 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Like runKubectl, but throws with kubectl's error output when it fails. */
export async function kubectlOrThrow(kubectl: string, kubeconfig: string, args: readonly string[], input?: string): Promise<string> {
  const result = await runKubectl(kubectl, kubeconfig, args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}
