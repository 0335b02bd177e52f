// Volume: storage for agents, ephemeral (deleted after a TTL) or persistent, with a size quota.
// Also the agent-side mount (`Agent.spec.volumes[]`), which shares the storage vocabulary.
import {
  array, enumOf, map, object, rule, string, timestamp, type Schema,
} from "./builders.ts";
import { LABEL_PATTERN, duration, objectName, quantity, statusOf } from "./common.ts";
import { AGE_COLUMN, READY_COLUMN, type KindDefinition } from "./kind.ts";

export const STORAGE_CLASSES = ["Ephemeral", "Persistent"] as const;
export const ACCESS_MODES = ["ReadWrite", "ReadOnly"] as const;
export const BACKENDS = ["LocalHost", "SeaweedFS", "OpenDAL", "HostPath"] as const;
export const VOLUME_PHASES = ["Creating", "Available", "Attached", "Detached", "Deleting", "Failed"] as const;

const storageClass = (d: string): Schema => enumOf(d, STORAGE_CLASSES);
const accessMode = (d: string): Schema => enumOf(d, ACCESS_MODES, { default: "ReadWrite" });
const ttlOnlyEphemeral = rule(
  "!has(self.ttl) || self.storageClass == 'Ephemeral'",
  "ttl is only allowed when storageClass is Ephemeral (persistent volumes never expire)",
  ".ttl",
  "FieldValueForbidden",
);

/** Agent.spec.volumes[]: mount an existing Volume, or describe one made for each Execution. */
export const volumeMount = object(
  "A volume mounted into every iteration of the agent. Either volumeRef names an existing Volume, or storageClass and size describe a volume the controller creates for each Execution (owned by it, so deleted with it).",
  {
    name: string("Name of the mount, unique within the agent, e.g. workspace.", { pattern: LABEL_PATTERN, maxLength: 63 }),
    mountPath: string("Absolute path inside the agent, under /workspace, e.g. /workspace or /workspace/data.", {
      pattern: "^/workspace(/[^/]+)*$",
      maxLength: 1024,
    }),
    accessMode: accessMode("ReadWrite (default) or ReadOnly. A persistent ReadWrite volume is mounted by one Execution at a time."),
    volumeRef: objectName("Name of an existing Volume in the same namespace to mount. Excludes storageClass, size and ttl."),
    storageClass: storageClass("For a per-Execution volume: Ephemeral (deleted after ttl) or Persistent (kept after the Execution)."),
    size: quantity("For a per-Execution volume: its size quota, e.g. \"1Gi\". Writes beyond it fail with no space left."),
    ttl: duration("For an Ephemeral per-Execution volume: how long it lives after the Execution ends. Default 24h."),
  },
  {
    required: ["name", "mountPath"],
    rules: [
      rule("has(self.volumeRef) != has(self.size)",
        "set either volumeRef (an existing Volume) or size (a volume created per Execution)", ".size", "FieldValueRequired"),
      rule("!has(self.volumeRef) || !has(self.storageClass)", "storageClass cannot be set together with volumeRef", ".storageClass"),
      rule("!has(self.size) || has(self.storageClass)", "storageClass is required when size is set", ".storageClass", "FieldValueRequired"),
      ttlOnlyEphemeral,
    ],
  },
);

const backend = object("Where the bytes live. Default LocalHost: a directory on the node serving the volume.", {
  type: enumOf("Backend kind: LocalHost (default), SeaweedFS, OpenDAL (S3, GCS, Azure, memory) or HostPath.", BACKENDS, {
    default: "LocalHost",
  }),
  hostPath: string("HostPath: the absolute directory on the node, e.g. /srv/aegis/shared.", { pattern: "^/", maxLength: 1024 }),
  seaweedFS: object("SeaweedFS: the filer to store in.", {
    filerURL: string("Filer HTTP endpoint, e.g. http://seaweedfs-filer:8888.", { format: "uri", maxLength: 1024 }),
    remotePath: string("Directory on the filer; default /aegis/volumes/<namespace>/<name>.", { maxLength: 1024 }),
  }, { required: ["filerURL"] }),
  openDAL: object("OpenDAL: an object-store service.", {
    provider: enumOf("Service: s3, gcs, azblob or memory.", ["s3", "gcs", "azblob", "memory"]),
    options: map("Provider options, e.g. {bucket: agents, region: eu-west-1}.", string("Option value.", { maxLength: 1024 }), 32),
    credentialsSecretRef: object("Secret holding the provider credentials as keys (e.g. access_key_id, secret_access_key).", {
      name: objectName("Name of the Secret in the Volume's namespace."),
    }, { required: ["name"] }),
  }, { required: ["provider"] }),
}, {
  rules: [
    rule("self.type != 'HostPath' || has(self.hostPath)", "hostPath is required when type is HostPath", ".hostPath", "FieldValueRequired"),
    rule("self.type != 'SeaweedFS' || has(self.seaweedFS)", "seaweedFS is required when type is SeaweedFS", ".seaweedFS", "FieldValueRequired"),
    rule("self.type != 'OpenDAL' || has(self.openDAL)", "openDAL is required when type is OpenDAL", ".openDAL", "FieldValueRequired"),
  ],
});

export const volumeKind: KindDefinition = {
  kind: "Volume",
  plural: "volumes",
  singular: "volume",
  shortNames: ["vol"],
  scope: "Namespaced",
  description:
    "Volume is storage for agents, served to their pods through the storage gateway with every file operation checked (ownership, path traversal, read-only, quota). Ephemeral volumes are deleted ttl after they were last detached; Persistent ones stay until deleted.",
  spec: object("Desired storage.", {
    storageClass: storageClass("Ephemeral (deleted after ttl, default 24h) or Persistent (kept until the Volume is deleted). Immutable."),
    size: quantity("Size quota: cumulative bytes written may not exceed it, e.g. \"1Gi\". It can grow, never shrink."),
    ttl: duration("Ephemeral only: lifetime after the volume was last detached. Default 24h."),
    accessMode: accessMode("ReadWrite (default) or ReadOnly for every mount of this volume."),
    maxFileSize: quantity("Largest single file allowed, e.g. \"50Mi\". Default: no limit beyond size."),
    backend,
  }, {
    required: ["storageClass", "size"],
    rules: [
      ttlOnlyEphemeral,
      rule("self.storageClass == oldSelf.storageClass", "storageClass is immutable", ".storageClass"),
      rule("quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0", "size can grow but not shrink", ".size"),
      rule("!has(self.maxFileSize) || quantity(self.maxFileSize).compareTo(quantity(self.size)) <= 0",
        "maxFileSize cannot exceed size", ".maxFileSize"),
    ],
  }),
  status: statusOf("Observed state of the volume. Conditions: Ready (the volume is Available or Attached).", {
    phase: enumOf("Lifecycle: Creating, Available, Attached, Detached, Deleting, or Failed.", VOLUME_PHASES),
    capacity: quantity("Size actually provisioned by the backend."),
    used: quantity("Bytes written so far, counted against size."),
    attachedTo: array("Executions that currently mount this volume (a persistent ReadWrite volume has at most one).",
      objectName("Name of an Execution in the same namespace."), 32),
    nodeName: string("Node whose storage gateway serves the volume.", { maxLength: 253 }),
    expiresAt: timestamp("Ephemeral only: when the volume will be deleted unless attached again."),
  }),
  printerColumns: [
    { name: "Class", type: "string", jsonPath: ".spec.storageClass", description: "Ephemeral or Persistent." },
    { name: "Size", type: "string", jsonPath: ".spec.size", description: "Size quota." },
    { name: "Used", type: "string", jsonPath: ".status.used", description: "Bytes written.", priority: 1 },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Lifecycle phase." },
    { ...READY_COLUMN, priority: 1 },
    AGE_COLUMN,
  ],
};
