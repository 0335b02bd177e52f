// Shared building blocks in Kubernetes idiom: EnvVar, ResourceRequirements, Condition, references,
// durations and quantities. Kind files compose these; none of them carries object metadata.
import {
  array, boolean, describe, enumOf, int64, map, named, object, string, timestamp, type Schema, type StringOpts,
} from "./builders.ts";

/** Go-style durations as Kubernetes uses them: `90s`, `5m`, `1h30m`, `1.5h`, `250ms`. */
export const DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

/** Kubernetes resource quantities: `512Mi`, `1Gi`, `500m`, `2`, `1e3`. */
export const QUANTITY_PATTERN =
  "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

/** DNS-1123 subdomain names (the names of most Kubernetes objects). */
export const NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/** DNS-1123 labels (63 characters): names that end up in labels or pod names. */
export const LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

/** Environment variable names, as the kubelet accepts them. */
export const ENV_NAME_PATTERN = "^[-._a-zA-Z][-._a-zA-Z0-9]*$";

/** A duration string, e.g. `600s`. State the default in the description too. */
export function duration(description: string, opts: Omit<StringOpts, "pattern" | "enum"> = {}): Schema {
  return string(`${description} A duration such as "90s", "5m" or "1h30m" (units ms, s, m, h).`, {
    maxLength: 64,
    ...opts,
    pattern: DURATION_PATTERN,
  });
}

/** A resource quantity string, e.g. `1Gi`. */
export function quantity(description: string, opts: Omit<StringOpts, "pattern" | "enum"> = {}): Schema {
  return string(`${description} A Kubernetes quantity such as "512Mi", "1Gi" or "10G".`, {
    maxLength: 64,
    ...opts,
    pattern: QUANTITY_PATTERN,
  });
}

/** The name of an object in the same namespace. */
export function objectName(description: string): Schema {
  return string(description, { pattern: NAME_PATTERN, maxLength: 253, minLength: 1 });
}

const localObjectReference = named(
  "LocalObjectReference",
  object("A reference to an object in the same namespace.", {
    name: objectName("Name of the referenced object in the same namespace."),
  }, { required: ["name"] }),
);

/** A reference to an object of a known kind in the same namespace (`{name}`); say the kind in the description. */
export function localRef(description: string): Schema {
  return describe(localObjectReference, description);
}

const keySelector = (what: "Secret" | "ConfigMap"): Schema =>
  object(`Selects one key of a ${what} in the pod's namespace.`, {
    name: objectName(`Name of the ${what}.`),
    key: string(`The key in the ${what}'s data whose value is used.`, { maxLength: 253, minLength: 1 }),
    optional: boolean(`If true, a missing ${what} or key leaves the variable unset instead of failing the pod.`, {
      default: false,
    }),
  }, { required: ["name", "key"] });

export const secretKeySelector = named("SecretKeySelector", keySelector("Secret"));
export const configMapKeySelector = named("ConfigMapKeySelector", keySelector("ConfigMap"));

/** A Secret key in a given namespace: cluster-scoped objects (NodeConfig) must say where. */
export const namespacedSecretKeySelector = named(
  "NamespacedSecretKeySelector",
  object("Selects one key of a Secret in a named namespace (cluster-scoped objects must name it).", {
    namespace: string("Namespace of the Secret, e.g. aegis-system.", { pattern: LABEL_PATTERN, maxLength: 63 }),
    name: objectName("Name of the Secret."),
    key: string("The key in the Secret's data holding the value, e.g. api-key.", { maxLength: 253, minLength: 1 }),
  }, { required: ["namespace", "name", "key"] }),
);

/** One environment variable, exactly as in a Pod: a literal `value` or `valueFrom` a Secret/ConfigMap. */
export const envVar = named(
  "EnvVar",
  object("An environment variable: a literal value, or a value read from a Secret or ConfigMap key.", {
    name: string("Variable name, e.g. GITHUB_TOKEN.", { pattern: ENV_NAME_PATTERN, maxLength: 253, minLength: 1 }),
    value: string(
      "Literal value. $(OTHER_VAR) references to earlier variables are expanded. Do not put secrets here: use valueFrom.",
      { maxLength: 32768 },
    ),
    valueFrom: object("Source of the value when it is not a literal. Set exactly one of its fields.", {
      secretKeyRef: describe(secretKeySelector, "Reads the value from a Secret key, e.g. {name: github, key: token}."),
      configMapKeyRef: describe(configMapKeySelector, "Reads the value from a ConfigMap key."),
    }, {
      rules: [
        {
          rule: "has(self.secretKeyRef) != has(self.configMapKeyRef)",
          message: "valueFrom must set exactly one of secretKeyRef or configMapKeyRef",
        },
      ],
    }),
  }, {
    required: ["name"],
    rules: [{ rule: "!(has(self.value) && has(self.valueFrom))", message: "set value or valueFrom, not both", fieldPath: ".valueFrom" }],
  }),
);

/** `env`: a list of EnvVar keyed by name. */
export function envList(description: string): Schema {
  return array(description, envVar, 64, { listType: "map", mapKeys: ["name"] });
}

const resourceQuantity = named("Quantity", {
  description: "A quantity: an integer (cpu: 2) or a string such as \"500m\", \"512Mi\", \"1Gi\".",
  anyOf: [{ type: "integer" }, { type: "string" }],
  pattern: QUANTITY_PATTERN,
  "x-kubernetes-int-or-string": true,
} satisfies Schema);

const resourceList = (description: string): Schema =>
  map(description, resourceQuantity, 16);

/** Compute resources, exactly as in a container: requests and limits of cpu, memory, ephemeral-storage. */
export function resourceRequirements(description: string): Schema {
  return named(
    "ResourceRequirements",
    object(description, {
      requests: resourceList(
        "Minimum resources the scheduler reserves, by resource name: cpu (cores, e.g. \"500m\"), memory (bytes, e.g. \"512Mi\"), ephemeral-storage.",
      ),
      limits: resourceList(
        "Maximum resources the process may use, by resource name. Memory above the limit kills the iteration (OOMKilled); cpu above it is throttled.",
      ),
    }),
  );
}

/** One condition with the exact apimachinery `metav1.Condition` shape and limits. */
export const condition = named(
  "Condition",
  object("One aspect of the object's current state, in the standard Kubernetes Condition shape.", {
    type: string("Condition type in CamelCase, e.g. Ready, Progressing, Succeeded.", {
      pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
      maxLength: 316,
    }),
    status: enumOf("Whether the condition holds: True, False, or Unknown.", ["True", "False", "Unknown"]),
    observedGeneration: int64(
      "The metadata.generation the condition was computed from; older than metadata.generation means stale.",
      { minimum: 0 },
    ),
    lastTransitionTime: timestamp("When the status last changed (not when it was last checked)."),
    reason: string("Machine-readable CamelCase reason for the last transition, e.g. ModelResolved, InvalidSpec.", {
      pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
      minLength: 1,
      maxLength: 1024,
    }),
    message: string("Human-readable details about the transition; may be empty.", { maxLength: 32768 }),
  }, { required: ["type", "status", "lastTransitionTime", "reason", "message"] }),
);

/** The status fields every kind shares, plus the kind's own. */
export function statusOf(description: string, props: Record<string, Schema>): Schema {
  return object(description, {
    observedGeneration: int64(
      "The metadata.generation the controller last acted on. When it is lower than metadata.generation, the status is about an older spec.",
      { minimum: 0 },
    ),
    conditions: array(
      "Current conditions. Every kind has Ready; kinds add their own (see the kind's description). Keyed by type.",
      condition,
      16,
      { listType: "map", mapKeys: ["type"] },
    ),
    ...props,
  });
}

/** Label selector, as in Deployments: matchLabels AND matchExpressions. */
export const labelSelector = named(
  "LabelSelector",
  object("Selects objects by label. All matchLabels and matchExpressions must hold; an empty selector selects everything.", {
    matchLabels: map("Labels that must be present with exactly these values, e.g. {aegis.dev/role: edge}.",
      string("Label value.", { maxLength: 63 }), 32),
    matchExpressions: array("Set-based requirements, all of which must hold.", object("A label requirement.", {
      key: string("The label key, e.g. topology.kubernetes.io/zone.", { maxLength: 317, minLength: 1 }),
      operator: enumOf("How the key relates to values: In, NotIn, Exists, DoesNotExist.", ["In", "NotIn", "Exists", "DoesNotExist"]),
      values: array("Values for In and NotIn; must be empty for Exists and DoesNotExist.",
        string("A label value.", { maxLength: 63 }), 32),
    }, { required: ["key", "operator"] }), 16),
  }),
);
