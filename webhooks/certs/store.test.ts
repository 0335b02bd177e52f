import { describe, expect, it } from "vitest";
import { KubeApiError } from "../../src/kube/errors.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { ensureCertificates, type StoreOptions } from "./store.ts";

/** Secrets in memory, with the API server's create and conditional update semantics. */
function fakeSecrets(onWrite: () => void = () => {}) {
  const secrets = new Map<string, KubeObject>();
  let version = 0;
  const client = {
    get: (_res: unknown, _ns: string, name: string) => {
      const s = secrets.get(name);
      return s ? Promise.resolve(structuredClone(s)) : Promise.reject(new KubeApiError("NotFound", 404, "not found"));
    },
    create: (_res: unknown, obj: KubeObject) => {
      onWrite();
      if (secrets.has(obj.metadata.name!)) return Promise.reject(new KubeApiError("AlreadyExists", 409, "exists"));
      secrets.set(obj.metadata.name!, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++version) } });
      return Promise.resolve(obj);
    },
    update: (_res: unknown, obj: KubeObject) => {
      onWrite();
      if (secrets.get(obj.metadata.name!)?.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        return Promise.reject(new KubeApiError("Conflict", 409, "conflict"));
      }
      secrets.set(obj.metadata.name!, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++version) } });
      return Promise.resolve(obj);
    },
  } as unknown as KubeClient;
  return { client, secrets };
}

const options = (client: KubeClient, now = new Date()): StoreOptions => ({
  client, namespace: "ns", name: "tls", hosts: ["127.0.0.1"], validityMs: 3 * 3_600_000, now: () => now,
});

describe("ensureCertificates", () => {
  it("creates the Secret, then reuses it until rotation is due", async () => {
    const { client } = fakeSecrets();
    const first = await ensureCertificates(options(client));
    expect(first.decision.action).toBe("create");
    const again = await ensureCertificates(options(client));
    expect(again).toMatchObject({ decision: { action: "keep" }, certificates: first.certificates });
    const later = await ensureCertificates(options(client, new Date(Date.now() + 2.1 * 3_600_000)));
    expect(later.decision.action).toBe("rotate");
    expect(later.certificates.tlsCert).not.toBe(first.certificates.tlsCert);
  });

  it("uses the certificates of a replica that wrote first", async () => {
    const winner = fakeSecrets();
    const theirs = await ensureCertificates(options(winner.client));
    let raced = false;
    // Just before our create lands, the other replica's Secret appears: ours gets AlreadyExists.
    const { client, secrets } = fakeSecrets(() => {
      if (!raced) secrets.set("tls", winner.secrets.get("tls")!);
      raced = true;
    });
    const ours = await ensureCertificates(options(client));
    expect(raced).toBe(true);
    expect(ours.certificates).toEqual(theirs.certificates);
  });
});
