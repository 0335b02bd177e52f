// The operational parts of a NodeConfig (spec §7): builtin tools, private registries, SEAL token
// issuing, observability, and what edge nodes advertise. Database, Temporal, IAM and billing
// settings are operator configuration, not per-node API, so they are not here.
import { array, boolean, describe, enumOf, integer, map, object, string, stringSet, type Schema } from "./builders.ts";
import { LABEL_PATTERN, duration, namespacedSecretKeySelector } from "./common.ts";

const strings = (description: string, item: string, max: number): Schema =>
  stringSet(description, string(item, { maxLength: 253 }), max);

export const builtinTools = array("Builtin tool dispatchers (fs.*, cmd.run, web.*) on these nodes, keyed by name.", object("A builtin dispatcher.", {
  name: string("Dispatcher name, e.g. fs, cmd, web.", { pattern: LABEL_PATTERN, maxLength: 63 }),
  enabled: boolean("If false, its tools are not offered. Default true.", { default: true }),
  description: string("What it offers.", { maxLength: 1024 }),
  capabilities: array("Its tools and whether each skips the pre-call judge.", object("A tool.", {
    name: string("Tool name, e.g. fs.read.", { maxLength: 128, minLength: 1 }),
    skipJudge: boolean("If true, toolValidation judges are not run. Default: true for read-only tools (fs.read, fs.list, fs.grep, fs.glob, web.*), false otherwise."),
  }, { required: ["name"] }), 64, { listType: "map", mapKeys: ["name"] }),
}, { required: ["name"] }), 16, { listType: "map", mapKeys: ["name"] });

export const registryCredentials = array("Credentials for private image registries, keyed by registry.", object("One registry.", {
  registry: string("Registry host, e.g. ghcr.io.", { maxLength: 253, minLength: 1 }),
  secretRef: object("A Secret of type kubernetes.io/dockerconfigjson with the credentials.", {
    namespace: string("Namespace of the Secret.", { pattern: LABEL_PATTERN, maxLength: 63 }),
    name: string("Name of the Secret.", { maxLength: 253, minLength: 1 }),
  }, { required: ["namespace", "name"] }),
}, { required: ["registry", "secretRef"] }), 16, { listType: "map", mapKeys: ["registry"] });

export const seal = object("How the gateway issues SEAL security tokens to agent pods (Orchestrator and Hybrid).", {
  issuer: string("Token issuer (iss). Default aegis-orchestrator.", { maxLength: 253, default: "aegis-orchestrator" }),
  audiences: strings("Token audiences (aud). Default [aegis-agents].", "An audience.", 8),
  tokenTTL: duration("Token lifetime; at most 24h. Default 1h.", { default: "1h" }),
  signingKeySecretRef: describe(namespacedSecretKeySelector, "The Secret key holding the PEM private key that signs tokens (RS256), e.g. {namespace: aegis-system, name: seal-signing, key: tls.key}. Default: a key the operator generates."),
});

export const observability = object("Logs, metrics and traces of the operator processes on these nodes.", {
  logLevel: enumOf("Minimum level logged: debug, info (default), warn or error.", ["debug", "info", "warn", "error"], { default: "info" }),
  logFormat: enumOf("Json (default) or Pretty.", ["Json", "Pretty"], { default: "Json" }),
  metrics: object("Prometheus metrics endpoint.", {
    enabled: boolean("Serve metrics. Default true.", { default: true }),
    port: integer("Port. Default 9091.", { minimum: 1, maximum: 65535, default: 9091 }),
    path: string("HTTP path. Default /metrics.", { maxLength: 253, pattern: "^/", default: "/metrics" }),
  }),
  tracing: object("OpenTelemetry traces.", {
    enabled: boolean("Export traces. Default false.", { default: false }),
    otlpEndpoint: string("OTLP endpoint, e.g. http://otel-collector:4317.", { format: "uri", maxLength: 2048 }),
    protocol: enumOf("Grpc (default) or Http.", ["Grpc", "Http"], { default: "Grpc" }),
  }),
});

export const edge = object("What edge nodes advertise for routing (Edge and Hybrid).", {
  os: string("Operating system, e.g. linux.", { maxLength: 63 }),
  arch: string("CPU architecture, e.g. amd64, arm64.", { maxLength: 63 }),
  localTools: strings("Tools available locally on the node, e.g. [docker, ffmpeg].", "A tool.", 64),
  mountPoints: strings("Host paths the node can mount for agents, e.g. [/data].", "A path.", 32),
  labels: map("Extra labels for edge selectors, e.g. {site: lab-2}.", string("Label value.", { maxLength: 63 }), 32),
});
