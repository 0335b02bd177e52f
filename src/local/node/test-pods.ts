/** Pod fixtures for the unit tests of the local node (not used at run time). */
import { parsePod, type Pod } from "./pod-spec.ts";

/** A parsed pod from a partial manifest: one busybox container unless `spec.containers` is given. */
export function testPod(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}, status: Record<string, unknown> = {}): Pod {
  const parsed = parsePod({
    metadata: { name: "p", namespace: "ns", uid: "uid-1", labels: { app: "x" }, ...metadata },
    spec: { nodeName: "aegis-local", containers: [{ name: "main", image: "busybox" }], ...spec },
    status,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.pod;
}

export const FACTS = { nodeName: "aegis-local", hostIP: "127.0.0.1", podIP: "127.0.0.1" };
