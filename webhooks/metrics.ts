/**
 * The admission webhooks' Prometheus metric (docs/metrics.md): how long each admission took, by
 * webhook (validating, mutating), kind, operation and verdict. The API server waits on every one
 * of these calls (timeoutSeconds 5, failurePolicy Fail), so its p99 is the latency every kubectl
 * apply of an aegis.dev object pays. Labels are bounded sets: never an object's name.
 */
import { Histogram, type Registry } from "prom-client";
import type { Answer, Mode } from "./admission.ts";

const OPERATIONS = new Set(["CREATE", "UPDATE", "DELETE", "CONNECT"]);

export interface WebhookMetrics {
  readonly admissionSeconds: Histogram<"webhook" | "kind" | "operation" | "allowed">;
}

export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  return {
    admissionSeconds: new Histogram({
      name: "aegis_webhook_admission_duration_seconds",
      help: "Admission webhook latency by webhook (validating, mutating), kind, operation and allowed (true, false, error).",
      labelNames: ["webhook", "kind", "operation", "allowed"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Which webhook answered: its mode and the kind it admits (Agent, …, ConfigMap for policy ConfigMaps). */
export interface AdmissionRoute {
  readonly mode: Mode;
  readonly kind: string;
}

/** Pure: the labels of one answered admission (its request as the API server sent it). */
export function admissionLabels({ mode, kind }: AdmissionRoute, review: unknown, answer: Answer): Record<"webhook" | "kind" | "operation" | "allowed", string> {
  const operation = (review as { request?: { operation?: unknown } } | null)?.request?.operation;
  const allowed = answer.status !== 200 ? "error" : String((answer.body as { response?: { allowed?: unknown } }).response?.allowed === true);
  return {
    webhook: mode === "validate" ? "validating" : "mutating",
    kind,
    operation: typeof operation === "string" && OPERATIONS.has(operation) ? operation : "unknown",
    allowed,
  };
}

export function observeAdmission(metrics: WebhookMetrics | undefined, route: AdmissionRoute, review: unknown, answer: Answer, seconds: number): void {
  metrics?.admissionSeconds.observe(admissionLabels(route, review, answer), seconds);
}
