/**
 * The execution loop's services in the operator program: the history store (DATABASE_URL or
 * the embedded PostgreSQL), the model gateway with its credential registry and model resolver,
 * and the judge of Semantic validators — and the Execution controller's options that tie them
 * together. Wiring only.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { ExecutionControllerOptions } from "../controllers/execution/index.ts";
import { API_VERSION } from "./api/index.ts";
import type { OperatorConfig } from "./config/schema.ts";
import {
  createCredentialRegistry, createGatewayJudge, createModelResolver, kubeResolverSources, revisionLabel, startGateway, type Gateway, type PolicyViolation,
} from "./gateway/index.ts";
import { createMcpHub, mcpServersOf, type NodeConfigWithMcp } from "./gateway/mcp/index.ts";
import { createGatewaySeal, SEAL_AUDIENCE, type SealSigningKey } from "./gateway/seal.ts";
import { startSigningKeyRefresh, type SigningKeyRefresh } from "./gateway/seal-key-refresh.ts";
import { kubePodFacts, kubeTokenReview, loadSigningKey } from "./gateway/seal-kube.ts";
import { createHistoryNotifier, kubeAuthorize, kubeExecutionUid, notifyingStore } from "./gateway/transcript-stream.ts";
import { generateKeyPair } from "./seal/keys.ts";
import { openHistory, type History } from "./history/index.ts";
import { createEventRecorder } from "./kube/events.ts";
import { AGENTS, CONFIGMAPS, NODECONFIGS } from "./kube/resources.ts";
import type { KubeClient, KubeObject } from "./kube/types.ts";
import { createConfigMapPolicies, type NamespacePolicies } from "./policy/configmaps.ts";
import type { InformerFactory } from "./runtime/informer-factory.ts";
import type { OperatorMetrics } from "./operator-metrics.ts";
import type { EventRecorder } from "./runtime/types.ts";

export interface ExecutionServices {
  readonly history: History;
  readonly gateway: Gateway;
  /** The Execution controller's options: gateway URL, credentials, history, judge, pod command. */
  readonly execution: ExecutionControllerOptions;
  /** The policy set in force per namespace (labelled ConfigMaps, cluster-wide and the namespace's own). */
  readonly policies: NamespacePolicies;
  stop(): Promise<void>;
}

const ANY_HOST = new Set(["", "0.0.0.0", "::"]);

/** The URL pods reach the gateway at: configured, else the bound port on the loopback (the local node). */
export function gatewayUrlFor(config: Pick<OperatorConfig, "gatewayUrl" | "gatewayAddr">, boundPort: number): string {
  if (config.gatewayUrl !== undefined) return config.gatewayUrl.replace(/\/+$/, "");
  const host = ANY_HOST.has(config.gatewayAddr.host) ? "127.0.0.1" : config.gatewayAddr.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
}

const modelOf = (agent: KubeObject | undefined): string | undefined => {
  const model = (agent?.spec as { runtime?: { model?: unknown } } | undefined)?.runtime?.model;
  return typeof model === "string" ? model : undefined;
};

/** A denied tool call as a Warning Event on its Execution (best effort: the recorder never throws). */
export function recordViolation(events: EventRecorder, v: PolicyViolation): Promise<void> {
  const where = `iteration ${v.iteration}${v.seq === undefined ? "" : `, call ${v.seq}`}`;
  return events.record(
    { apiVersion: API_VERSION, kind: "Execution", metadata: { name: v.execution, namespace: v.namespace, uid: v.uid } },
    "Warning", "ToolPolicyViolation", `${v.message} (${where}; policy revision ${v.policyRevision ?? "none"})`, "AuthorizeToolCall",
  );
}

/**
 * SEAL's token signing key from its Secret in the operator's namespace, re-read every minute (a
 * rotation applies without a restart); when that cannot be read or created (no such namespace, no
 * RBAC), a key of this process only, with a warning: pods then re-attest after a restart (their
 * tokens no longer verify).
 */
async function sealSigningKeys(client: KubeClient, namespace: string, log: Logger): Promise<Pick<SigningKeyRefresh, "current" | "stop">> {
  try {
    return startSigningKeyRefresh(client, namespace, await loadSigningKey(client, namespace, { log }), { log });
  } catch (error) {
    log.warn({ err: error, namespace }, "SEAL signing key not kept in a Secret; using a key of this process");
    const local: SealSigningKey = { kid: "gw-local", ...generateKeyPair() };
    return { current: () => local, stop: () => undefined };
  }
}

export interface ServicesInput {
  readonly config: OperatorConfig;
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  readonly metrics: Pick<OperatorMetrics, "gateway" | "execution">;
  readonly log: Logger;
}

export async function startExecutionServices({ config, client, informers, metrics, log }: ServicesInput): Promise<ExecutionServices> {
  const history = await openHistory({ databaseUrl: config.databaseUrl, home: config.home ?? join(homedir(), ".aegis"), log });
  // Every history write (the gateway's and the controller's) wakes the transcript streams of its execution.
  const notifier = createHistoryNotifier();
  const store = notifyingStore(history.store, notifier);
  const credentials = createCredentialRegistry();
  const resolver = createModelResolver(kubeResolverSources(informers.informer(NODECONFIGS), client));
  // MCP tool servers of orchestrator NodeConfigs run here, in the gateway; their credentials never reach pods.
  const agents = informers.informer(AGENTS);
  const nodeConfigs = informers.informer(NODECONFIGS);
  // Read on every use: NodeConfig edits take effect without a restart.
  const mcp = createMcpHub({ servers: () => mcpServersOf(nodeConfigs.list() as unknown as NodeConfigWithMcp[]), log: log.child({ component: "mcp" }) });
  // Policies in labelled ConfigMaps: read from the shared informer, so edits apply without a restart.
  const policies = createConfigMapPolicies({ configMaps: informers.informer(CONFIGMAPS), operatorNamespace: config.namespace, log: log.child({ component: "policy" }) });
  const events = createEventRecorder(client, { reportingController: "aegis.dev/gateway", reportingInstance: config.identity, log });
  const signingKeys = await sealSigningKeys(client, config.namespace, log);
  const seal = createGatewaySeal(
    { signingKey: signingKeys.current, tokenReview: kubeTokenReview(client), podOf: kubePodFacts(client) },
    (uid, iteration) => credentials.grantOf(uid, iteration),
  );
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      port: config.gatewayAddr.port, host: config.gatewayAddr.host === "" ? "0.0.0.0" : config.gatewayAddr.host,
      history: store, resolver, credentials, log: log.child({ component: "gateway" }), metrics: metrics.gateway, mcp,
      policies, onViolation: (v) => void recordViolation(events, v), seal,
      transcripts: { authorize: kubeAuthorize(client), executionUid: kubeExecutionUid(client), notifier },
    });
  } catch (error) {
    policies.stop();
    signingKeys.stop();
    await mcp.stop();
    await history.close();
    throw error;
  }
  const gatewayUrl = gatewayUrlFor(config, Number(new URL(gateway.url).port));
  log.info({ gatewayUrl }, "Serving the model gateway");
  return {
    history,
    gateway,
    policies,
    execution: {
      gatewayUrl,
      sealAudience: SEAL_AUDIENCE,
      credentials,
      history: store,
      metrics: metrics.execution,
      ...(config.agentCommand ? { command: config.agentCommand } : {}),
      policyRevision: (namespace) => {
        const current = policies.forNamespace(namespace).current();
        return current === undefined ? undefined : revisionLabel({ revision: current.policySet.revision, commit: current.commit });
      },
      judge: (namespace) => createGatewayJudge({
        resolver,
        judgeModelOf: (name) => Promise.resolve(modelOf(agents.get(`${namespace}/${name}`))),
        log: log.child({ component: "judge" }),
      }),
    },
    async stop() {
      await gateway.stop();
      policies.stop();
      signingKeys.stop();
      await mcp.stop();
      await history.close();
    },
  };
}
