/**
 * The image map: how a container image becomes a local command. There are no images on the
 * local node; an image entry plays the part of the image config (ENTRYPOINT, CMD, WORKDIR, ENV)
 * and says where its programs are found on this machine. Format (YAML), see docs/local-node.md:
 *
 *   inheritDefaults: true          # keep the built-in entries (default true)
 *   images:
 *     "busybox": { entrypoint: [], cmd: ["sh"] }
 *     "node:*":  { entrypoint: ["node"], path: ["/opt/node24/bin"] }
 *     "ghcr.io/acme/agent:*": { entrypoint: ["/usr/local/bin/agent"], env: { MODE: local } }
 */
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { repoRoot } from "../paths.ts";

export const imageEntrySchema = z
  .object({
    /** Like the image ENTRYPOINT: replaced by the container's `command`. */
    entrypoint: z.array(z.string()).default([]),
    /** Like the image CMD: replaced by `args`, and dropped when `command` is given. */
    cmd: z.array(z.string()).default([]),
    /** The working directory inside the pod root when the container sets none. */
    workingDir: z.string().optional(),
    /** Like the image ENV: set before the container's own env. */
    env: z.record(z.string(), z.string()).default({}),
    /** Directories put in front of PATH (relative ones are relative to the map file). */
    path: z.array(z.string()).default([]),
  })
  .strict();

export const imageMapSchema = z
  .object({
    inheritDefaults: z.boolean().default(true),
    images: z.record(z.string().min(1), imageEntrySchema).default({}),
  })
  .strict();

export type ImageEntry = z.infer<typeof imageEntrySchema>;
export type ImageMap = Readonly<Record<string, ImageEntry>>;

/** The prefix of the agent runtime images (manifests/base/runtime-registry.yaml). */
export const AGENT_RUNTIME_IMAGES = "ghcr.io/aegis-dev/runtime-";

const entry = (e: Partial<ImageEntry>): ImageEntry => imageEntrySchema.parse(e);

/**
 * The built-in map: shell images run the host shell, language images the host interpreter.
 * `node:*` runs the Node.js that runs the local node (so `node:24` gets Node 24).
 */
export function defaultImageMap(nodeExecPath: string, agentRuntimeMain = path.join(repoRoot(), "src", "agent-runtime", "main.ts")): ImageMap {
  const shell = entry({ cmd: ["sh"] });
  return {
    busybox: shell,
    "busybox:*": shell,
    alpine: shell,
    "alpine:*": shell,
    debian: entry({ cmd: ["bash"] }),
    "debian:*": entry({ cmd: ["bash"] }),
    ubuntu: entry({ cmd: ["bash"] }),
    "ubuntu:*": entry({ cmd: ["bash"] }),
    node: entry({ entrypoint: ["node"], path: [path.dirname(nodeExecPath)] }),
    "node:*": entry({ entrypoint: ["node"], path: [path.dirname(nodeExecPath)] }),
    "python:*": entry({ cmd: ["python3"] }),
    // The agent runtime images (the runtime registry's defaults) run the agent runtime itself.
    [`${AGENT_RUNTIME_IMAGES}*`]: entry({ entrypoint: ["node", agentRuntimeMain], path: [path.dirname(nodeExecPath)] }),
  };
}

export type ParsedImageMap = { ok: true; map: ImageMap } | { ok: false; message: string };

/** Parses an image-map file's text and merges it over `defaults`. Never throws. */
export function parseImageMap(text: string, defaults: ImageMap, baseDir: string): ParsedImageMap {
  let doc: unknown;
  try {
    doc = parseYaml(text, { logLevel: "error" }) ?? {};
  } catch (err) {
    return { ok: false, message: `The image map is not valid YAML: ${(err as Error).message}` };
  }
  const result = imageMapSchema.safeParse(doc);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { ok: false, message: `The image map is invalid: ${detail}` };
  }
  const own: Record<string, ImageEntry> = {};
  for (const [key, value] of Object.entries(result.data.images)) {
    own[normalizeImage(key)] = { ...value, path: value.path.map((p) => path.resolve(baseDir, p)) };
  }
  return { ok: true, map: result.data.inheritDefaults ? { ...defaults, ...own } : own };
}

/**
 * Normalizes an image reference so `docker.io/library/busybox:1.37` and `busybox:1.37` match
 * the same entry. A digest (`@sha256:…`) is dropped: there is nothing to pull.
 */
export function normalizeImage(image: string): string {
  let ref = image.trim();
  const at = ref.indexOf("@");
  if (at !== -1) ref = ref.slice(0, at);
  for (const prefix of ["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"]) {
    if (ref.startsWith(prefix)) {
      ref = ref.slice(prefix.length);
      break;
    }
  }
  if (ref.startsWith("library/")) ref = ref.slice("library/".length);
  return ref;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * Finds the entry for an image: an exact key first, then the glob (`*`) with the longest
 * literal part, so `node:24` beats `node:*` and `node:*` beats `*`.
 */
export function resolveImage(map: ImageMap, image: string): ImageEntry | undefined {
  const ref = normalizeImage(image);
  const exact = map[ref];
  if (exact) return exact;
  let best: { entry: ImageEntry; score: number } | undefined;
  for (const [key, value] of Object.entries(map)) {
    if (!key.includes("*") || !globToRegExp(key).test(ref)) continue;
    const score = key.replace(/\*/g, "").length;
    if (!best || score > best.score) best = { entry: value, score };
  }
  return best?.entry;
}

/**
 * The argv of a container, with Kubernetes semantics: `command` replaces the entrypoint and
 * then the image CMD is ignored; `args` replaces the CMD.
 */
export function containerArgv(image: ImageEntry, command: readonly string[] | undefined, args: readonly string[] | undefined): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args && args.length > 0 ? args : image.cmd)];
}
