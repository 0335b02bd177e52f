/**
 * Pure: the pod of one iteration (docs/design/execution-loop.md). Deterministic name and labels,
 * the Execution as controller owner, the contract's environment (the execution token by
 * secretKeyRef, never a provider key), a workspace volume, nodeSelector from the agent's
 * placement tags, the agent's resources, a restricted securityContext, restartPolicy Never and
 * activeDeadlineSeconds from the iteration timeout.
 */
import { controllerReference, type Owner } from "../../src/kube/owners.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { bounded, podNameFor } from "./pod-name.ts";
import type { AgentView } from "./spec.ts";

export const EXECUTION_LABEL = "aegis.dev/execution";
export const ITERATION_LABEL = "aegis.dev/iteration";
export const AGENT_LABEL = "aegis.dev/agent";
export const TAG_LABEL_PREFIX = "tag.aegis.dev/";
export const CONTAINER_NAME = "agent";
export const TOKEN_KEY = "token";
export const DEFAULT_WORKSPACE = "/workspace";
export const DEFAULT_MAX_TOOL_ROUNDS = 50;
/** The non-root user iterations run as (the distroless "nonroot" uid). */
export const RUN_AS_USER = 65532;
export const DEFAULT_RESOURCES = { limits: { cpu: "1", memory: "512Mi" } };
/** SEAL: where the projected service-account token is mounted (AEGIS_SA_TOKEN_FILE). */
export const SEAL_TOKEN_VOLUME = "aegis-seal-token";
export const SEAL_TOKEN_DIR = "/var/run/secrets/aegis.dev/seal";
/** The shortest lifetime the API server grants a projected token; the node refreshes it. */
export const SEAL_TOKEN_SECONDS = 600;

export interface PodOptions {
  /** AEGIS_GATEWAY_URL, e.g. http://127.0.0.1:8081. */
  readonly gatewayUrl: string;
  /** The Secret holding the execution token under key `token`. */
  readonly tokenSecret: string;
  /** Overrides the image's entrypoint (the local node: node src/agent-runtime/main.ts). */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workspacePath?: string;
  readonly maxToolRounds?: number;
  /**
   * SEAL (docs/seal.md): a projected service-account token for this audience, mounted read-only,
   * its path in AEGIS_SA_TOKEN_FILE; the pod attests with it. The default token stays unmounted.
   */
  readonly sealAudience?: string;
  /** Tracing (docs/tracing.md): the collector endpoint, OTEL_SERVICE_NAME and TRACEPARENT; they replace the agent's own. */
  readonly traceEnv?: readonly { name: string; value: string }[];
}

const labelValue = (value: string): string => bounded(value, 63);

export function iterationPod(execution: Owner, agent: AgentView, iteration: number, options: PodOptions): KubeObject {
  const name = execution.metadata.name ?? "";
  const namespace = execution.metadata.namespace ?? "";
  const workspace = options.workspacePath ?? DEFAULT_WORKSPACE;
  const traced = new Set((options.traceEnv ?? []).map((e) => e.name));
  const env = [
    ...agent.env.filter((e) => typeof e.name === "string" && !e.name.startsWith("AEGIS_") && !traced.has(e.name)),
    { name: "AEGIS_GATEWAY_URL", value: options.gatewayUrl },
    { name: "AEGIS_EXECUTION_TOKEN", valueFrom: { secretKeyRef: { name: options.tokenSecret, key: TOKEN_KEY } } },
    { name: "AEGIS_EXECUTION", value: name },
    { name: "AEGIS_NAMESPACE", value: namespace },
    { name: "AEGIS_ITERATION", value: String(iteration) },
    { name: "AEGIS_WORKSPACE", value: workspace },
    { name: "AEGIS_MAX_TOOL_ROUNDS", value: String(options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS) },
    { name: "AEGIS_ITERATION_TIMEOUT", value: String(Math.max(1, Math.ceil(agent.iterationTimeoutMs / 1000))) },
    ...(options.sealAudience ? [{ name: "AEGIS_SA_TOKEN_FILE", value: `${SEAL_TOKEN_DIR}/token` }] : []),
    ...(options.traceEnv ?? []),
  ];
  const sealMounts = options.sealAudience ? [{ name: SEAL_TOKEN_VOLUME, mountPath: SEAL_TOKEN_DIR, readOnly: true }] : [];
  const sealVolumes = options.sealAudience
    ? [{ name: SEAL_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { audience: options.sealAudience, expirationSeconds: SEAL_TOKEN_SECONDS, path: "token" } }] } }]
    : [];
  const container: Record<string, unknown> = {
    name: CONTAINER_NAME,
    image: agent.image ?? "",
    ...(agent.imagePullPolicy ? { imagePullPolicy: agent.imagePullPolicy } : {}),
    ...(options.command ? { command: [...options.command] } : {}),
    ...(options.args ? { args: [...options.args] } : {}),
    env,
    resources: agent.resources ?? DEFAULT_RESOURCES,
    volumeMounts: [{ name: "workspace", mountPath: workspace }, { name: "tmp", mountPath: "/tmp" }, ...sealMounts],
    terminationMessagePolicy: "FallbackToLogsOnError",
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_USER,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
  const nodeSelector = Object.fromEntries([...new Set(agent.tags)].sort().map((tag) => [`${TAG_LABEL_PREFIX}${tag}`, "true"]));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podNameFor(name, iteration),
      namespace,
      labels: { [EXECUTION_LABEL]: labelValue(name), [ITERATION_LABEL]: String(iteration), [AGENT_LABEL]: labelValue(agent.name) },
      ownerReferences: [controllerReference(execution)],
    },
    spec: {
      restartPolicy: "Never",
      activeDeadlineSeconds: Math.max(1, Math.ceil(agent.iterationTimeoutMs / 1000)),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      securityContext: {
        runAsNonRoot: true, runAsUser: RUN_AS_USER, runAsGroup: RUN_AS_USER, fsGroup: RUN_AS_USER,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [container],
      volumes: [{ name: "workspace", emptyDir: {} }, { name: "tmp", emptyDir: {} }, ...sealVolumes],
    },
  };
}
