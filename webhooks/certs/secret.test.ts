import { describe, expect, it } from "vitest";
import { issueCertificates } from "./issue.ts";
import { bundleOf, fromSecret, toSecret } from "./secret.ts";

describe("the certificates Secret", () => {
  it("round-trips through a kubernetes.io/tls Secret", () => {
    const stored = { caCert: "ca", tlsCert: "crt", tlsKey: "key", caBundle: "bundle" };
    const secret = toSecret("ns", "s", stored, "7");
    expect(secret.type).toBe("kubernetes.io/tls");
    expect(secret.metadata.resourceVersion).toBe("7");
    expect(fromSecret(secret)).toEqual(stored);
    expect(fromSecret({ metadata: {}, data: { "ca.crt": "Y2E=" } })).toBeUndefined();
  });

  it("bundles the previous CA only while it is valid", async () => {
    const now = new Date();
    const old = await issueCertificates({ hosts: ["a"], now, validityMs: 60_000 });
    const fresh = await issueCertificates({ hosts: ["a"], now, validityMs: 3_600_000 });
    const both = bundleOf(fresh.caCert, old.caCert, now);
    expect(both.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(both.startsWith(fresh.caCert.trimEnd())).toBe(true);
    expect(bundleOf(fresh.caCert, old.caCert, new Date(now.getTime() + 120_000))).toBe(fresh.caCert);
    expect(bundleOf(fresh.caCert, "garbage", now)).toBe(fresh.caCert);
    expect(bundleOf(fresh.caCert, undefined, now)).toBe(fresh.caCert);
  });
});
