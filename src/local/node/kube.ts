/**
 * The node's only door to the API server: typed clients over one KubeConfig, server-side apply
 * with the node's field manager, and error helpers. Nothing else in src/local/node talks HTTP
 * to the API server.
 */
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";

export const FIELD_MANAGER = "aegis-local";

export interface KubeClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
}

export function kubeClients(kubeConfig: KubeConfig): KubeClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
  };
}

/** Request options that send a body as a server-side apply patch. */
export const applyOptions = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

/** The HTTP status of a client error, if it came from the API server. */
export function httpStatus(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export function isNotFound(err: unknown): boolean {
  return httpStatus(err) === 404;
}

/** A short message for logs and pod status, without dumping whole response objects. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body = err.body as { message?: string } | string | undefined;
    const detail = typeof body === "string" ? body : body?.message;
    return `API server answered ${err.code}${detail ? `: ${detail}` : ""}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The host and port of the API server, for KUBERNETES_SERVICE_HOST/PORT in pods. */
export function apiServerAddress(kubeConfig: KubeConfig): { host: string; port: string } | undefined {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) return undefined;
  try {
    const url = new URL(server);
    return { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || (url.protocol === "https:" ? "443" : "80") };
  } catch {
    return undefined;
  }
}
