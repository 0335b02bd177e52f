/**
 * Pure: the Agent's Accepted and Ready conditions and status fields from its spec and what
 * observe.ts found. Two ordered chains of checks (cert-manager style); the first failure is
 * the reason. A spec that is not Accepted is not Ready either, for the same reason.
 */
import type { DesiredStatus } from "../../src/kube/status-report.ts";
import { firstFailure, type Check, type Verdict } from "../../src/runtime/policy-chain.ts";
import { resolveModel, type ModelResolution } from "./model.ts";
import { ConditionType, Reason } from "./reasons.ts";
import { resolveImage, type ImageResolution, type RegistryRef } from "./registry.ts";
import type { AgentReading, AgentView, NodeConfigView } from "./spec.ts";

export interface Observed {
  readonly registryRef: RegistryRef;
  /** The registry ConfigMap's data; undefined when the ConfigMap does not exist. */
  readonly registry: Readonly<Record<string, string>> | undefined;
  /** Readable NodeConfigs, sorted by name. */
  readonly nodeConfigs: readonly NodeConfigView[];
  /** Names of the Volumes in the Agent's namespace that its volumeRefs name and that exist. */
  readonly volumes: ReadonlySet<string>;
}

const duplicate = (values: readonly string[]): string | undefined => values.find((v, i) => values.indexOf(v) !== i);

/** Accepted: consistency of the spec alone (what the CRD's CEL rules also say). */
const acceptance: readonly Check<AgentView>[] = [
  ({ runtime }) => (runtime.image !== undefined) === (runtime.language !== undefined || runtime.version !== undefined)
    ? { reason: Reason.InvalidRuntime, message: "set either runtime.image or runtime.language with runtime.version, not both and not neither" }
    : undefined,
  ({ runtime }) => (runtime.language === undefined) !== (runtime.version === undefined)
    ? { reason: Reason.InvalidRuntime, message: "runtime.language and runtime.version must be set together" }
    : undefined,
  ({ volumes = [] }) => {
    const bad = volumes.find((v) => (v.volumeRef === undefined) === (v.size === undefined));
    return bad ? { reason: Reason.InvalidVolume, message: `volume ${bad.name}: set either volumeRef or size` } : undefined;
  },
  ({ volumes = [] }) => {
    const name = duplicate(volumes.map((v) => v.name)) ?? duplicate(volumes.map((v) => v.mountPath));
    return name !== undefined ? { reason: Reason.InvalidVolume, message: `volume names and mount paths must be unique: ${name} repeats` } : undefined;
  },
];

interface Input {
  readonly spec: AgentView;
  readonly observed: Observed;
  readonly image: ImageResolution;
  readonly model: ModelResolution;
}

const failureOf = (r: ImageResolution | ModelResolution): Verdict | undefined => ("failure" in r ? r.failure : undefined);

/** Ready: each reference resolves, in this order. */
const readiness: readonly Check<Input>[] = [
  ({ image }) => failureOf(image),
  ({ model }) => failureOf(model),
  ({ spec, observed }) => {
    const missing = (spec.volumes ?? []).find((v) => v.volumeRef !== undefined && !observed.volumes.has(v.volumeRef));
    return missing ? { reason: Reason.VolumeMissing, message: `volume ${missing.name}: Volume ${missing.volumeRef} not found in the Agent's namespace` } : undefined;
  },
  ({ spec, observed }) => {
    const servers = new Set(observed.nodeConfigs.flatMap((nc) => (nc.mcpServers ?? []).filter((s) => s.enabled !== false).map((s) => s.name)));
    const unknown = (spec.tools ?? []).find((tool) => tool.startsWith("mcp:") && !servers.has(tool.slice(4).split(".")[0] ?? ""));
    return unknown ? { reason: Reason.ToolServerUnknown, message: `tool ${unknown}: no NodeConfig runs an enabled MCP server of that name` } : undefined;
  },
  ({ spec, observed }) => {
    const tags = new Set(observed.nodeConfigs.flatMap((nc) => nc.tags ?? []));
    const unknown = (spec.placement?.tags ?? []).find((tag) => !tags.has(tag));
    return unknown ? { reason: Reason.PlacementTagUnknown, message: `placement tag ${unknown} is carried by no NodeConfig` } : undefined;
  },
];

const condition = (type: string, failure: Verdict | undefined, ok: Verdict) =>
  failure ? { type, status: "False" as const, ...failure } : { type, status: "True" as const, ...ok };

export function agentStatus(reading: AgentReading, observed: Observed): DesiredStatus {
  const rejected = reading.ok ? firstFailure(acceptance, reading.spec) : { reason: Reason.InvalidSpec, message: reading.message };
  const accepted = condition(ConditionType.Accepted, rejected, { reason: Reason.SpecValid, message: "the spec is consistent" });
  if (!reading.ok || rejected) {
    return { conditions: [accepted, { ...accepted, type: ConditionType.Ready }], fields: { image: undefined, model: undefined, provider: undefined } };
  }
  const image = resolveImage(reading.spec.runtime, observed.registry, observed.registryRef);
  const model = resolveModel(reading.spec.runtime.model, observed.nodeConfigs);
  const resolved = "image" in image && "provider" in model
    ? `image ${image.image}; model alias ${reading.spec.runtime.model} is ${model.provider}/${model.model}` : "";
  const ready = condition(ConditionType.Ready, firstFailure(readiness, { spec: reading.spec, observed, image, model }), { reason: Reason.Resolved, message: resolved });
  return {
    conditions: [accepted, ready],
    fields: {
      image: "image" in image ? image.image : undefined,
      model: "model" in model ? model.model : undefined,
      provider: "provider" in model ? model.provider : undefined,
    },
  };
}
