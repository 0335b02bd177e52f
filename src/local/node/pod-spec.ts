/**
 * The part of a Pod the local node understands, checked with zod. The API server has validated
 * the pod already; this guards the node against anything it cannot run (a malformed object or a
 * feature it does not support) so such a pod ends Failed with a message instead of crashing it.
 */
import { z } from "zod";

const str = z.string();
const strList = z.array(str);
/** Timestamps arrive as strings from a watch and as Dates from the typed client. */
const time = z.union([z.string(), z.date()]).transform((v) => (typeof v === "string" ? new Date(v) : v));

const keyRef = z.object({ name: str.optional().default(""), key: str, optional: z.boolean().optional() });
const fieldRef = z.object({ fieldPath: str, apiVersion: str.optional() });
const resourceFieldRef = z.object({ resource: str, containerName: str.optional(), divisor: z.unknown().optional() });

const envVar = z.object({
  name: str,
  value: str.optional(),
  valueFrom: z
    .object({
      secretKeyRef: keyRef.optional(),
      configMapKeyRef: keyRef.optional(),
      fieldRef: fieldRef.optional(),
      resourceFieldRef: resourceFieldRef.optional(),
    })
    .optional(),
});

const envFrom = z.object({
  prefix: str.optional(),
  secretRef: z.object({ name: str, optional: z.boolean().optional() }).optional(),
  configMapRef: z.object({ name: str, optional: z.boolean().optional() }).optional(),
});

const volumeMount = z.object({
  name: str,
  mountPath: str,
  subPath: str.optional(),
  readOnly: z.boolean().optional(),
});

const container = z.object({
  name: str,
  image: str.optional().default(""),
  command: strList.optional(),
  args: strList.optional(),
  workingDir: str.optional(),
  env: z.array(envVar).optional().default([]),
  envFrom: z.array(envFrom).optional().default([]),
  volumeMounts: z.array(volumeMount).optional().default([]),
  resources: z.unknown().optional(),
  restartPolicy: str.optional(),
});

const keyToPath = z.object({ key: str, path: str, mode: z.number().int().optional() });
const downwardFile = z.object({
  path: str,
  fieldRef: fieldRef.optional(),
  resourceFieldRef: resourceFieldRef.optional(),
  mode: z.number().int().optional(),
});

const projection = z.object({
  serviceAccountToken: z
    .object({ audience: str.optional(), expirationSeconds: z.number().int().optional(), path: str })
    .optional(),
  configMap: z
    .object({ name: str, items: z.array(keyToPath).optional(), optional: z.boolean().optional() })
    .optional(),
  secret: z.object({ name: str, items: z.array(keyToPath).optional(), optional: z.boolean().optional() }).optional(),
  downwardAPI: z.object({ items: z.array(downwardFile).optional().default([]) }).optional(),
});

/** The fields secret and configMap volumes share. */
const keyedFiles = {
  items: z.array(keyToPath).optional(),
  defaultMode: z.number().int().optional(),
  optional: z.boolean().optional(),
};

const volume = z
  .object({
    name: str,
    emptyDir: z.object({}).passthrough().optional(),
    hostPath: z.object({ path: str, type: str.optional() }).optional(),
    secret: z.object({ secretName: str, ...keyedFiles }).optional(),
    configMap: z.object({ name: str, ...keyedFiles }).optional(),
    projected: z.object({ sources: z.array(projection).default([]), defaultMode: z.number().int().optional() }).optional(),
    downwardAPI: z
      .object({ items: z.array(downwardFile).optional().default([]), defaultMode: z.number().int().optional() })
      .optional(),
  })
  .passthrough();

const containerState = z
  .object({
    running: z.object({ startedAt: time.optional() }).optional(),
    terminated: z.object({ exitCode: z.number().int() }).passthrough().optional(),
    waiting: z.object({}).passthrough().optional(),
  })
  .optional();

const containerStatus = z.object({
  name: str,
  restartCount: z.number().int().optional().default(0),
  state: containerState,
  lastState: containerState,
});

const condition = z.object({
  type: str,
  status: str,
  lastTransitionTime: time.optional().nullable(),
  reason: str.optional().nullable(),
  message: str.optional().nullable(),
});

export const podSchema = z.object({
  metadata: z.object({
    name: str,
    namespace: str,
    uid: str,
    labels: z.record(str, str).optional().default({}),
    annotations: z.record(str, str).optional().default({}),
    deletionTimestamp: time.optional().nullable(),
    deletionGracePeriodSeconds: z.number().int().optional().nullable(),
  }),
  spec: z.object({
    nodeName: str.optional(),
    serviceAccountName: str.optional(),
    restartPolicy: z.enum(["Always", "OnFailure", "Never"]).optional().default("Always"),
    activeDeadlineSeconds: z.number().int().optional().nullable(),
    terminationGracePeriodSeconds: z.number().int().optional().nullable(),
    initContainers: z.array(container).optional().default([]),
    containers: z.array(container).min(1),
    volumes: z.array(volume).optional().default([]),
    hostname: str.optional(),
  }),
  status: z
    .object({
      phase: str.optional(),
      startTime: time.optional().nullable(),
      conditions: z.array(condition).optional().default([]),
      initContainerStatuses: z.array(containerStatus).optional().default([]),
      containerStatuses: z.array(containerStatus).optional().default([]),
    })
    .optional()
    .default({ conditions: [], initContainerStatuses: [], containerStatuses: [] }),
});

export type Pod = z.infer<typeof podSchema>;
export type Container = Pod["spec"]["containers"][number];
export type EnvVar = Container["env"][number];
export type Volume = Pod["spec"]["volumes"][number];
export type KeyToPath = z.infer<typeof keyToPath>;
export type DownwardFile = z.infer<typeof downwardFile>;
export type PodCondition = Pod["status"]["conditions"][number];

/** Identity read leniently, so even a pod that fails the schema can be reported on. */
export interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
}

export type ParsedPod = { ok: true; pod: Pod } | { ok: false; identity: PodIdentity | undefined; message: string };

/** Parses a pod from the API (raw JSON or a typed client object). Never throws. */
export function parsePod(raw: unknown): ParsedPod {
  const result = podSchema.safeParse(raw);
  if (result.success) return { ok: true, pod: result.data };
  const meta = z.object({ name: str, namespace: str, uid: str }).safeParse((raw as { metadata?: unknown } | null)?.metadata);
  const message = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  return { ok: false, identity: meta.success ? meta.data : undefined, message: `The pod cannot be run by aegis-local: ${message}` };
}

/** Succeeded and Failed are final: the node never runs such a pod again. */
export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}
