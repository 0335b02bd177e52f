// Pure: which MCP servers the gateway serves (from the orchestrator NodeConfigs) and how to reach
// one: a command run over stdio, or a streamable-HTTP url. Secrets (valueFrom) are not read yet:
// such variables are left out and named, so the hub can warn.
import type { EnvVar } from "../../api/generated/common.ts";
import type { NodeConfigSpecMcpServer } from "../../api/generated/nodeconfig.ts";

export type McpServerConfig = Pick<NodeConfigSpecMcpServer, "name" | "enabled" | "image" | "command" | "url" | "env">;

export type McpTarget =
  | { readonly kind: "stdio"; readonly command: string; readonly args: string[]; readonly env: Record<string, string>; readonly skippedEnv: string[] }
  | { readonly kind: "http"; readonly url: URL }
  | { readonly kind: "unsupported"; readonly reason: string };

export interface NodeConfigWithMcp {
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly type?: string; readonly mcpServers?: readonly McpServerConfig[] };
}

/** The enabled servers of Orchestrator and Hybrid NodeConfigs; on a name clash the first NodeConfig by name wins. */
export function mcpServersOf(configs: readonly NodeConfigWithMcp[]): McpServerConfig[] {
  const byName = new Map<string, McpServerConfig>();
  const sorted = [...configs].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  for (const nc of sorted) {
    if (nc.spec?.type !== "Orchestrator" && nc.spec?.type !== "Hybrid") continue;
    for (const s of nc.spec.mcpServers ?? []) if (s.enabled !== false && !byName.has(s.name)) byName.set(s.name, s);
  }
  return [...byName.values()];
}

/** `$(NAME)` → the value of an earlier variable (Kubernetes' rule); unknown references stay as written. */
const expand = (value: string, env: Record<string, string>): string =>
  value.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string) => env[name] ?? whole);

/** The child's environment: PATH (to find `npx`, `uvx`…) and the literal values; nothing else of the operator's. */
export function serverEnv(vars: readonly EnvVar[] | undefined, path: string | undefined): { env: Record<string, string>; skipped: string[] } {
  const env: Record<string, string> = path === undefined ? {} : { PATH: path };
  const skipped: string[] = [];
  for (const v of vars ?? []) {
    if (v.value !== undefined) env[v.name] = expand(v.value, env);
    else if (v.valueFrom !== undefined) skipped.push(v.name);
    else env[v.name] = "";
  }
  return { env, skipped };
}

/** How to reach the server: its command first (the gateway runs it), else its url; an image alone is not run yet. */
export function mcpTarget(config: McpServerConfig, path: string | undefined): McpTarget {
  const [command, ...args] = config.command ?? [];
  if (command !== undefined && command !== "") {
    const { env, skipped } = serverEnv(config.env, path);
    return { kind: "stdio", command, args, env, skippedEnv: skipped };
  }
  if (config.url !== undefined) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      return { kind: "unsupported", reason: `url "${config.url}" is not a URL` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return { kind: "unsupported", reason: `url "${config.url}" is not http(s)` };
    return { kind: "http", url };
  }
  if (config.image !== undefined) return { kind: "unsupported", reason: "running an MCP server from an image is not supported yet; give a command or a url" };
  return { kind: "unsupported", reason: "the server has no command and no url" };
}

/** Equal configs keep their connection; any change (command, env, url) reconnects. */
export const configKey = (config: McpServerConfig): string => JSON.stringify([config.command, config.url, config.image, config.env]);
