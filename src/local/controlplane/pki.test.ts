import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { readFile, stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../../../test/helpers/temp-dirs.ts";
import { CERTIFICATES, ensurePki, subjectName } from "./pki.ts";

const tempDir = tempDirs();

describe("ensurePki", () => {
  it("issues a serving certificate for 127.0.0.1 and an admin in system:masters, all signed by the CA", async () => {
    const dir = await tempDir("aegis-pki");
    const pki = await ensurePki(dir);
    const ca = new x509.X509Certificate(await readFile(pki.caCert, "utf8"));
    const serving = new x509.X509Certificate(await readFile(pki.certPath("apiserver"), "utf8"));
    const san = serving.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.toJSON()).toContainEqual({ type: "ip", value: "127.0.0.1" });
    expect(await serving.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    const admin = new x509.X509Certificate(await readFile(pki.certPath("admin"), "utf8"));
    expect(admin.subject).toContain("O=system:masters");
    expect(await admin.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect((await stat(pki.keyPath("admin"))).mode & 0o077).toBe(0);
    expect(await readFile(pki.serviceAccountKey, "utf8")).toContain("BEGIN PRIVATE KEY");
  });

  it("reuses a complete PKI instead of replacing it", async () => {
    const dir = await tempDir("aegis-pki");
    const first = await readFile((await ensurePki(dir)).caCert, "utf8");
    const second = await readFile((await ensurePki(dir)).caCert, "utf8");
    expect(second).toBe(first);
  });
});

describe("subjectName", () => {
  it("lists the organizations as O attributes", () => {
    expect(subjectName(CERTIFICATES.admin)).toBe("CN=aegis-admin, O=system:masters");
    expect(subjectName(CERTIFICATES.apiserver)).toBe("CN=kube-apiserver");
  });
});
