import { describe, expect, it } from "vitest";
import { baseEnv, buildLaunch, mountSource, type PodPaths } from "./container-launch.ts";
import { resolveEnv } from "./env.ts";
import { defaultImageMap, resolveImage } from "./image-map.ts";
import { FACTS, testPod } from "./test-pods.ts";

const paths: PodPaths = { root: "/h/pods/u/root", volumes: new Map([["work", "/h/pods/u/volumes/work"], ["host", "/srv/data"]]) };
const images = defaultImageMap("/opt/node/bin/node");

function launch(container: Record<string, unknown>) {
  const pod = testPod({ containers: [{ name: "main", image: "busybox", ...container }] });
  const c = pod.spec.containers[0];
  const image = resolveImage(images, c?.image ?? "");
  if (!c || !image) throw new Error("fixture");
  const base = baseEnv(pod, c, image, paths, { hostPath: "/usr/bin:/bin", lang: "C.UTF-8", apiServer: { host: "127.0.0.1", port: "6443" } });
  const env = resolveEnv(pod, c, FACTS, { secrets: new Map(), configMaps: new Map() }, base);
  if (!env.ok) throw new Error(env.message);
  return buildLaunch(c, image, env.env, paths);
}

describe("buildLaunch", () => {
  it("runs the command with $(VAR) expanded, in the pod root", () => {
    const l = launch({ command: ["sh", "-c", "echo $(GREETING) $$(GREETING) $(NOPE)"], env: [{ name: "GREETING", value: "hi" }] });
    expect(l.argv).toEqual(["sh", "-c", "echo hi $(GREETING) $(NOPE)"]);
    expect(l.cwd).toBe("/h/pods/u/root");
    expect(l.env.PWD).toBe("/h/pods/u/root");
  });

  it("maps workingDir under the pod root, through mount links", () => {
    expect(launch({ workingDir: "/workspace/src" }).cwd).toBe("/h/pods/u/root/workspace/src");
  });

  it("uses the image's cmd when the container gives neither command nor args", () => {
    expect(launch({}).argv).toEqual(["sh"]);
    expect(launch({ image: "node:24", args: ["app.js"] }).argv).toEqual(["node", "app.js"]);
  });

  it("provides the node's env: PATH, HOME, API server, pod root and one var per mount", () => {
    const env = launch({
      image: "node:24",
      volumeMounts: [
        { name: "work", mountPath: "/workspace" },
        { name: "host", mountPath: "/data", subPath: "sub" },
      ],
      env: [{ name: "HOME", value: "/custom" }],
    }).env;
    expect(env).toMatchObject({
      PATH: "/opt/node/bin:/usr/bin:/bin",
      HOME: "/custom",
      HOSTNAME: "p",
      LANG: "C.UTF-8",
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: "6443",
      AEGIS_POD_ROOT: "/h/pods/u/root",
      AEGIS_MOUNT_WORK: "/h/pods/u/volumes/work",
      AEGIS_MOUNT_HOST: "/srv/data/sub",
    });
  });

  it("finds no source for a mount of an undefined volume", () => {
    expect(mountSource(paths, { name: "nope" })).toBeUndefined();
    expect(mountSource(paths, { name: "work", subPath: "../../etc" })).toBe("/h/pods/u/volumes/work/etc");
  });
});
