/**
 * Issues the webhook server's certificates: a self-signed CA (only the API server trusts it,
 * through the webhook configurations' caBundle) and a serving certificate it signs, ECDSA P-256
 * like the local control plane's PKI (src/local/controlplane/pki.ts). The CA key is not kept:
 * a rotation issues both again, and the previous CA stays in the bundle meanwhile.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { isIP } from "node:net";

x509.cryptoProvider.set(globalThis.crypto);

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
/** Clock skew between this process and the API server. */
const BACKDATE_MS = 5 * 60_000;

export interface Issued {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

export interface IssueOptions {
  /** DNS names and IP addresses of the serving certificate; the first is its common name. */
  readonly hosts: readonly string[];
  readonly now: Date;
  readonly validityMs: number;
}

const keyPair = () => globalThis.crypto.subtle.generateKey(EC, true, ["sign", "verify"]);

export async function issueCertificates({ hosts, now, validityMs }: IssueOptions): Promise<Issued> {
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime() + validityMs);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=aegis-webhooks-ca-${now.getTime()}, O=aegis.dev`,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await keyPair();
  const names = hosts.map((value) => ({ type: isIP(value) ? "ip" as const : "dns" as const, value }));
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${hosts[0] ?? "aegis-webhooks"}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const der = await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { caCert: ca.toString("pem"), tlsCert: cert.toString("pem"), tlsKey: x509.PemConverter.encode(der, "PRIVATE KEY") };
}

/** What the rotation decision needs of a stored certificate pair; undefined when unreadable. */
export interface CertificateFacts {
  readonly caNotBefore: Date;
  readonly caNotAfter: Date;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DNS names and IPs of the serving certificate. */
  readonly hosts: readonly string[];
  /** The serving certificate is signed by the stored CA. */
  readonly signedByCa: boolean;
}

export async function readFacts(caPem: string, certPem: string): Promise<CertificateFacts | undefined> {
  try {
    const ca = new x509.X509Certificate(caPem);
    const cert = new x509.X509Certificate(certPem);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const hosts = (san?.names.items ?? []).map((n) => n.value);
    const signedByCa = await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
    return { caNotBefore: ca.notBefore, caNotAfter: ca.notAfter, notBefore: cert.notBefore, notAfter: cert.notAfter, hosts, signedByCa };
  } catch {
    return undefined;
  }
}
