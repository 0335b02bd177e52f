// SEAL's API server calls against an in-memory client: the signing key Secret is created once and
// read back by the next process; TokenReview and pod lookups map the API server's answers.
import { sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import { kubePodFacts, kubeTokenReview, loadSigningKey, SEAL_KEY_SECRET } from "./seal-kube.ts";

function memoryClient(answers: { review?: unknown } = {}): { client: KubeClient; objects: Map<string, KubeObject>; created: KubeObject[] } {
  const objects = new Map<string, KubeObject>();
  const created: KubeObject[] = [];
  const notFound = () => new KubeApiError("NotFound", 404, "not found");
  const client = {
    get: (res: Resource, namespace: string | undefined, name: string) => {
      const o = objects.get(`${res.plural}/${namespace ?? ""}/${name}`);
      return o === undefined ? Promise.reject(notFound()) : Promise.resolve(o);
    },
    create: (res: Resource, obj: KubeObject) => {
      created.push(obj);
      if (res.plural === "tokenreviews") return Promise.resolve({ ...obj, status: answers.review });
      objects.set(`${res.plural}/${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`, obj);
      return Promise.resolve(obj);
    },
  } as unknown as KubeClient;
  return { client, objects, created };
}

describe("SEAL on the API server", () => {
  it("creates the signing key Secret once; the next process reads the same key", async () => {
    const { client, objects } = memoryClient();
    const first = await loadSigningKey(client, "aegis-system");
    expect(objects.has(`secrets/aegis-system/${SEAL_KEY_SECRET}`)).toBe(true);
    const second = await loadSigningKey(client, "aegis-system");
    expect(second.kid).toBe(first.kid);
    const data = Buffer.from("x");
    expect(verify(null, data, second.publicKey, sign(null, data, first.privateKey))).toBe(true);
  });

  it("creates a TokenReview with the token and audiences and answers its status", async () => {
    const status = { authenticated: true, audiences: ["aegis-gateway"] };
    const { client, created } = memoryClient({ review: status });
    expect(await kubeTokenReview(client)("t0k", ["aegis-gateway"])).toEqual(status);
    expect(created[0]).toMatchObject({ kind: "TokenReview", spec: { token: "t0k", audiences: ["aegis-gateway"] } });
  });

  it("reads a pod's uid, controlling Execution and iteration; a missing or foreign pod is none", async () => {
    const { client, objects } = memoryClient();
    objects.set("pods/ns/run-2", {
      metadata: { name: "run-2", namespace: "ns", uid: "p-1", labels: { "aegis.dev/iteration": "2" }, ownerReferences: [{ apiVersion: "aegis.dev/v1alpha1", kind: "Execution", name: "run", uid: "e-1", controller: true }] },
    });
    objects.set("pods/ns/other", { metadata: { name: "other", namespace: "ns", uid: "p-2", labels: { "aegis.dev/iteration": "1" } } });
    const podOf = kubePodFacts(client);
    expect(await podOf("ns", "run-2")).toEqual({ uid: "p-1", executionUid: "e-1", iteration: 2 });
    expect(await podOf("ns", "other")).toBeUndefined();
    expect(await podOf("ns", "gone")).toBeUndefined();
  });
});
