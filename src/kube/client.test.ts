// What the client decides before any I/O (the verbs themselves: test/integration/kube-client).
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createKubeClient } from "./client.ts";
import { KubeApiError } from "./errors.ts";
import { CONFIGMAPS } from "./resources.ts";

const nowhere = (): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: "https://127.0.0.1:1", skipTLSVerify: true }], users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }], currentContext: "x",
  });
  return kc;
};

describe("createKubeClient", () => {
  it("rejects (never throws) a namespaced object without a namespace", async () => {
    const client = createKubeClient(nowhere());
    const call = client.applyStatus(CONFIGMAPS, { metadata: { name: "x" } }, { fieldManager: "m" });
    await expect(call).rejects.toBeInstanceOf(KubeApiError);
    await expect(client.get(CONFIGMAPS, undefined, "x")).rejects.toMatchObject({ reason: "BadRequest" });
  });

  it("rejects with BadRequest when the kubeconfig has no current cluster", async () => {
    await expect(createKubeClient(new KubeConfig()).get(CONFIGMAPS, "ns", "x")).rejects.toMatchObject({ reason: "BadRequest", code: 0 });
  });
});
