/**
 * The local cluster's PKI: one CA that signs the API server's serving certificate, the client
 * certificates of the admin and the control-plane components, and the local node's kubelet
 * serving certificate; plus the service-account signing key pair. Keys are ECDSA P-256.
 * An existing PKI is reused while it is complete and valid, so tokens and kubeconfigs keep
 * working across restarts.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { webcrypto } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

x509.cryptoProvider.set(globalThis.crypto);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

/** A certificate the PKI issues: who it names and what it may be used for. */
export interface CertificateSpec {
  readonly file: string;
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly server?: { readonly ips: readonly string[]; readonly dnsNames: readonly string[] };
  readonly client?: boolean;
}

/** Every certificate the local control plane needs, by role. */
export const CERTIFICATES = {
  apiserver: {
    file: "apiserver",
    commonName: "kube-apiserver",
    server: {
      ips: ["127.0.0.1", "10.0.0.1"],
      dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
    },
  },
  admin: { file: "admin", commonName: "aegis-admin", organizations: ["system:masters"], client: true },
  apiserverKubeletClient: {
    file: "apiserver-kubelet-client",
    commonName: "kube-apiserver-kubelet-client",
    organizations: ["system:masters"],
    client: true,
  },
  controllerManager: { file: "controller-manager", commonName: "system:kube-controller-manager", client: true },
  scheduler: { file: "scheduler", commonName: "system:kube-scheduler", client: true },
  kubeletServing: {
    file: "kubelet-serving",
    commonName: "aegis-local",
    server: { ips: ["127.0.0.1"], dnsNames: ["localhost", "aegis-local"] },
  },
} as const satisfies Record<string, CertificateSpec>;

export type CertificateRole = keyof typeof CERTIFICATES;

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  certPath(role: CertificateRole): string;
  keyPath(role: CertificateRole): string;
  /** The CA, certificate and key files a client of this role presents. */
  clientFiles(role: CertificateRole): { ca: string; cert: string; key: string };
}

/** The subject of a certificate as the x509 library's name string. */
export function subjectName(spec: Pick<CertificateSpec, "commonName" | "organizations">): string {
  const parts = [`CN=${spec.commonName}`, ...(spec.organizations ?? []).map((o) => `O=${o}`)];
  return parts.join(", ");
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function exportPublicPem(key: CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey("spki", key);
  return x509.PemConverter.encode(der, "PUBLIC KEY");
}

async function newKeys(): Promise<CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(EC, true, ["sign", "verify"]);
}

function extensionsFor(spec: CertificateSpec): x509.Extension[] {
  const usages: string[] = [];
  if (spec.server) usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (spec.client) usages.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages),
  ];
  if (spec.server) {
    const names = [
      ...spec.server.ips.map((value) => ({ type: "ip" as const, value })),
      ...spec.server.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ];
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  return extensions;
}

async function issue(spec: CertificateSpec, ca: { cert: x509.X509Certificate; key: CryptoKey }, validDays: number) {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: subjectName(spec),
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validDays * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [...extensionsFor(spec), await x509.AuthorityKeyIdentifierExtension.create(ca.cert)],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKeyPem(keys.privateKey) };
}

async function createCa(validDays: number) {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=aegis-local-ca, O=aegis.dev",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validDays * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey, certPem: cert.toString("pem"), keyPem: await exportKeyPem(keys.privateKey) };
}

function pkiAt(dir: string): Pki {
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPub: join(dir, "sa.pub"),
    certPath: (role) => join(dir, `${CERTIFICATES[role].file}.crt`),
    keyPath: (role) => join(dir, `${CERTIFICATES[role].file}.key`),
    clientFiles: (role) => ({ ca: join(dir, "ca.crt"), cert: join(dir, `${CERTIFICATES[role].file}.crt`), key: join(dir, `${CERTIFICATES[role].file}.key`) }),
  };
}

function allFiles(pki: Pki): string[] {
  const roles = Object.keys(CERTIFICATES) as CertificateRole[];
  return [pki.caCert, join(pki.dir, "ca.key"), pki.serviceAccountKey, pki.serviceAccountPub, ...roles.flatMap((r) => [pki.certPath(r), pki.keyPath(r)])];
}

/** True when every file exists and no certificate expires within a day. */
async function isUsable(pki: Pki): Promise<boolean> {
  if (!allFiles(pki).every((f) => existsSync(f))) return false;
  const roles = Object.keys(CERTIFICATES) as CertificateRole[];
  for (const path of [pki.caCert, ...roles.map((r) => pki.certPath(r))]) {
    const cert = new x509.X509Certificate(await readFile(path, "utf8"));
    if (cert.notAfter.getTime() - Date.now() < DAY_MS) return false;
  }
  return true;
}

/** Returns the PKI in `dir`, creating it (or re-creating an incomplete or expiring one). */
export async function ensurePki(dir: string, validDays = 365): Promise<Pki> {
  const pki = pkiAt(dir);
  if (await isUsable(pki)) return pki;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa(validDays * 2);
  const write = (path: string, pem: string, secret: boolean) => writeFile(path, pem, { mode: secret ? 0o600 : 0o644 });
  await write(pki.caCert, ca.certPem, false);
  await write(join(dir, "ca.key"), ca.keyPem, true);
  for (const role of Object.keys(CERTIFICATES) as CertificateRole[]) {
    const { certPem, keyPem } = await issue(CERTIFICATES[role], ca, validDays);
    await write(pki.certPath(role), certPem, false);
    await write(pki.keyPath(role), keyPem, true);
  }
  const sa = await newKeys();
  await write(pki.serviceAccountKey, await exportKeyPem(sa.privateKey), true);
  await write(pki.serviceAccountPub, await exportPublicPem(sa.publicKey), false);
  return pki;
}
