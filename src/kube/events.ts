/**
 * The EventRecorder: events.k8s.io/v1 Events about an object (regarding), with the reporting
 * controller and instance, an action, the reason (the condition's reason when it is about a
 * condition) and a note scrubbed of secrets. Recording is best effort: a failure is logged,
 * never thrown, because an event must not fail the reconcile it describes.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { EventRecorder } from "../runtime/types.ts";
import { DEFAULT_SPAM_FILTER, EventSpamFilter, withSuppressedCount, type SpamFilterOptions } from "./event-spam.ts";
import { redactSecrets, truncateUtf8 } from "./redact.ts";
import { EVENTS } from "./resources.ts";
import type { KubeClient, KubeObject } from "./types.ts";

export interface EventRecorderOptions {
  /** e.g. "aegis.dev/agent-controller" (a qualified name, as the API requires). */
  readonly reportingController: string;
  /** This process, e.g. the pod name. */
  readonly reportingInstance: string;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** Rate limit per object, type and reason (src/kube/event-spam.ts). */
  readonly spamFilter?: SpamFilterOptions;
}

type Regarding = KubeObject & { apiVersion: string; kind: string };

/** The API server limits: note ≤ 1 kB; reason, action, instance ≤ 128 characters. */
const NOTE_MAX_BYTES = 1024;
const FIELD_MAX = 128;

/** MicroTime: RFC 3339 with microseconds, as eventTime requires. */
export const microTime = (now: Date): string => now.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

/** Pure: the Event object to create. */
export function buildEvent(
  regarding: Regarding,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  action: string,
  options: { reportingController: string; reportingInstance: string; now: Date; suffix: string },
): KubeObject {
  const { name, namespace, uid, resourceVersion } = regarding.metadata;
  const objectName = name ?? "unnamed";
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    // Cluster-scoped objects' events live in "default", as client-go does.
    metadata: { name: `${objectName}.${options.now.getTime().toString(16)}${options.suffix}`.slice(0, 253), namespace: namespace ?? "default" },
    eventTime: microTime(options.now),
    type,
    reason: reason.slice(0, FIELD_MAX),
    action: action.slice(0, FIELD_MAX),
    note: truncateUtf8(redactSecrets(message), NOTE_MAX_BYTES),
    reportingController: options.reportingController,
    reportingInstance: options.reportingInstance.slice(0, FIELD_MAX),
    regarding: {
      apiVersion: regarding.apiVersion, kind: regarding.kind, name: objectName,
      ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}),
    },
  };
}

export function createEventRecorder(client: KubeClient, options: EventRecorderOptions): EventRecorder {
  const now = options.now ?? ((): Date => new Date());
  const spam = new EventSpamFilter(options.spamFilter ?? DEFAULT_SPAM_FILTER);
  return {
    async record(regarding, type, reason, message, action) {
      const at = now();
      const { uid, namespace, name } = regarding.metadata;
      const decision = spam.decide(`${uid ?? `${regarding.kind}/${namespace ?? ""}/${name ?? ""}`}|${type}|${reason}`, at.getTime());
      if (!decision.record) {
        options.log?.debug({ kind: regarding.kind, name, namespace, reason }, "Event not recorded: rate limited");
        return;
      }
      const event = buildEvent(regarding, type, reason, withSuppressedCount(message, decision.suppressed), action ?? reason, {
        reportingController: options.reportingController, reportingInstance: options.reportingInstance, now: at, suffix: randomBytes(3).toString("hex"),
      });
      try {
        await client.create(EVENTS, event);
      } catch (err) {
        options.log?.warn({ err, kind: regarding.kind, name: regarding.metadata.name, namespace: regarding.metadata.namespace, reason }, "Could not record event");
      }
    },
  };
}
