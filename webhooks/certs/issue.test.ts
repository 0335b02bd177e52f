import { describe, expect, it } from "vitest";
import { decideCertificates } from "./decide.ts";
import { issueCertificates, readFacts } from "./issue.ts";

describe("issueCertificates", () => {
  it("issues a CA-signed serving certificate for the hosts that the decision keeps", async () => {
    const now = new Date();
    const hosts = ["aegis-webhooks.aegis-system.svc", "127.0.0.1"];
    const issued = await issueCertificates({ hosts, now, validityMs: 3_600_000 });
    const facts = await readFacts(issued.caCert, issued.tlsCert);
    expect(facts?.hosts).toEqual(hosts);
    expect(facts?.signedByCa).toBe(true);
    expect(decideCertificates(true, facts, hosts, now).action).toBe("keep");
  });

  it("sees that another CA's certificate is not signed by this one", async () => {
    const now = new Date();
    const a = await issueCertificates({ hosts: ["a"], now, validityMs: 3_600_000 });
    const b = await issueCertificates({ hosts: ["a"], now, validityMs: 3_600_000 });
    expect((await readFacts(a.caCert, b.tlsCert))?.signedByCa).toBe(false);
    expect(await readFacts("garbage", b.tlsCert)).toBeUndefined();
  });
});
