// The gateway's SEAL signing key Secret through the real API server (src/gateway/seal-kube.ts):
// created once, read back while fresh, rotated when due (the old public key kept, retired), by
// one replica only when two load it at once, and a Secret written before rotation existed is
// rotated at its first load. A test namespace stands in for the operator's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSigningKeyRefresh } from "../../src/gateway/seal-key-refresh.ts";
import { keyFromSecret, loadSigningKey, SEAL_KEY_SECRET } from "../../src/gateway/seal-kube.ts";
import { createKubeClient } from "../../src/kube/client.ts";
import { SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { generateKeyPair } from "../../src/seal/keys.ts";
import { createNamespace, deleteNamespace, eventually, kubeConfig } from "../helpers/cluster.ts";

let kube: KubeClient;
let namespace: string;

const stored = async () => {
  const secret = await kube.get<KubeObject & { data?: Record<string, string> }>(SECRETS, namespace, SEAL_KEY_SECRET);
  return { keys: Object.keys(secret.data ?? {}).sort(), key: keyFromSecret(secret)! };
};
const spki = (key: { publicKey: { export(o: { format: "der"; type: "spki" }): Buffer } }) => key.publicKey.export({ format: "der", type: "spki" }).toString("hex");

beforeAll(async () => {
  kube = createKubeClient(kubeConfig());
  namespace = await createNamespace("seal-key");
});

afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

describe("the SEAL signing key Secret", () => {
  it("is created once, kept while fresh, rotated when due with the old public key retired; concurrent loads rotate once", async () => {
    const first = await loadSigningKey(kube, namespace);
    expect(first.kid).toBe("gw-1");
    expect((await stored()).keys).toEqual(["created", "kid", "private.pem"]);
    expect((await loadSigningKey(kube, namespace)).kid).toBe("gw-1");

    const before = Date.now();
    const second = await loadSigningKey(kube, namespace, { rotateAfterMs: 1 });
    expect(second.kid).toBe("gw-2");
    expect(second.previous?.map((k) => [k.kid, spki(k)])).toEqual([["gw-1", spki(first)]]);
    expect(second.previous?.[0]?.retiredAt).toBeGreaterThanOrEqual(before);
    const { keys, key } = await stored();
    expect(keys).toEqual(["created", "kid", "previous.json", "private.pem"]);
    expect([key.kid, spki(key)]).toEqual(["gw-2", spki(second)]);

    // Two replicas due at the same moment: one rotation wins (optimistic concurrency), both sign with its key.
    const at = Date.now() + 1000;
    const due = { rotateAfterMs: 1, clock: () => at };
    const [a, b] = await Promise.all([loadSigningKey(kube, namespace, due), loadSigningKey(kube, namespace, due)]);
    expect(a.kid).toBe("gw-3");
    expect([b.kid, spki(b)]).toEqual([a.kid, spki(a)]);
    expect((await stored()).key.previous?.map((k) => k.kid)).toEqual(["gw-2", "gw-1"]);
  });

  it("a Secret written before rotation existed (no created time) is rotated at its first load", async () => {
    const legacy = await createNamespace("seal-key-legacy");
    try {
      const pem = generateKeyPair().privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      await kube.create(SECRETS, {
        apiVersion: "v1", kind: "Secret", metadata: { name: SEAL_KEY_SECRET, namespace: legacy },
        data: { "private.pem": Buffer.from(pem).toString("base64"), kid: Buffer.from("gw-1").toString("base64") },
      } as KubeObject);
      const loaded = await loadSigningKey(kube, legacy);
      expect([loaded.kid, loaded.previous?.map((k) => k.kid)]).toEqual(["gw-2", ["gw-1"]]);
    } finally {
      await deleteNamespace(legacy);
    }
  });

  it("a running gateway's key follows the Secret: a rotation elsewhere is picked up, an unchanged Secret keeps the same key", async () => {
    const own = await createNamespace("seal-key-refresh");
    const refresher = startSigningKeyRefresh(kube, own, await loadSigningKey(kube, own), { intervalMs: 50 });
    try {
      const first = refresher.current();
      await refresher.refresh();
      expect(refresher.current()).toBe(first);
      // Another replica rotates; the timer's next read brings the new key, the old one retired.
      const rotated = await loadSigningKey(kube, own, { rotateAfterMs: 1, clock: () => Date.now() + 1000 });
      await eventually(() => expect(refresher.current().kid).toBe(rotated.kid), { message: "the rotated key in use" });
      expect(spki(refresher.current())).toBe(spki(rotated));
      expect(refresher.current().previous?.map((k) => [k.kid, spki(k)])).toEqual([[first.kid, spki(first)]]);
    } finally {
      refresher.stop();
      await deleteNamespace(own);
    }
  });
});
