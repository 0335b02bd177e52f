/**
 * How one container is launched as a local process (pure): argv from the image map and the
 * container's command/args with `$(VAR)` expanded, the working directory under the pod root,
 * and the process environment. See docs/local-node.md for the exact mapping.
 */
import { expandVars } from "./expand.ts";
import { containerArgv, type ImageEntry } from "./image-map.ts";
import type { Container, Pod } from "./pod-spec.ts";
import { mountEnvName, underRoot } from "./volumes.ts";

export interface PodPaths {
  /** `<home>/pods/<uid>/root`: the pod's stand-in for `/`, with a symlink per mountPath. */
  root: string;
  /** Local directory of each volume by name (hostPath volumes: the host path). */
  volumes: ReadonlyMap<string, string>;
}

export interface HostFacts {
  /** PATH of the node process, searched after the image map's `path` entries. */
  hostPath: string;
  /** Passed through from the node when set (locale only; the node's own env is not leaked). */
  lang?: string | undefined;
  apiServer?: { host: string; port: string } | undefined;
}

export interface Launch {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The local directory a volumeMount resolves to (the volume's directory plus subPath). */
export function mountSource(paths: PodPaths, mount: { name: string; subPath?: string | undefined }): string | undefined {
  const dir = paths.volumes.get(mount.name);
  if (dir === undefined) return undefined;
  return mount.subPath ? underRoot(dir, mount.subPath) : dir;
}

/** The environment the node provides before the image's and the container's own. */
export function baseEnv(pod: Pod, container: Container, image: ImageEntry, paths: PodPaths, host: HostFacts): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...image.path, host.hostPath].filter((p) => p !== "").join(":"),
    HOME: paths.root,
    HOSTNAME: pod.spec.hostname ?? pod.metadata.name,
    AEGIS_POD_ROOT: paths.root,
  };
  if (host.lang) env.LANG = host.lang;
  if (host.apiServer) {
    env.KUBERNETES_SERVICE_HOST = host.apiServer.host;
    env.KUBERNETES_SERVICE_PORT = host.apiServer.port;
  }
  for (const mount of container.volumeMounts) {
    const source = mountSource(paths, mount);
    if (source !== undefined) env[mountEnvName(mount.name)] = source;
  }
  return { ...env, ...image.env };
}

/** Builds the launch from the container's resolved env (image env and base env included). */
export function buildLaunch(container: Container, image: ImageEntry, env: ReadonlyMap<string, string>, paths: PodPaths): Launch {
  const lookup = (name: string): string | undefined => env.get(name);
  const command = container.command?.map((s) => expandVars(s, lookup));
  const args = container.args?.map((s) => expandVars(s, lookup));
  const cwd = underRoot(paths.root, container.workingDir || image.workingDir || "/");
  // PWD keeps the path through the mount links, so a shell's `pwd` shows `<root>/<workingDir>`.
  return { argv: containerArgv(image, command, args), cwd, env: { PWD: cwd, ...Object.fromEntries(env) } };
}
