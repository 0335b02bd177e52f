/**
 * kwok 0.8 has no built-in stages: it must be given them. We take the node and pod stages that
 * ship in its module (the "fast" set and lease heartbeats) and join them into one config file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const KWOK_STAGE_FILES = [
  "kustomize/stage/node/fast/node-initialize.yaml",
  "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "kustomize/stage/pod/fast/pod-ready.yaml",
  "kustomize/stage/pod/fast/pod-complete.yaml",
  "kustomize/stage/pod/fast/pod-delete.yaml",
] as const;

export async function kwokStagesYaml(kwokModuleDir: string): Promise<string> {
  const docs: string[] = [];
  for (const file of KWOK_STAGE_FILES) docs.push((await readFile(join(kwokModuleDir, file), "utf8")).trim());
  return `${docs.join("\n---\n")}\n`;
}
