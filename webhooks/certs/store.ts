/**
 * I/O: makes the Secret hold usable certificates — created if missing, reused while valid,
 * rotated when due (decide.ts). Replicas race safely: creation is create-or-AlreadyExists and
 * rotation an update at the read resourceVersion; the loser reads the winner's Secret.
 */
import { isAlreadyExists, isConflict, isNotFound } from "../../src/kube/errors.ts";
import { SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { decideCertificates, type CertificateDecision } from "./decide.ts";
import { issueCertificates, readFacts } from "./issue.ts";
import { bundleOf, fromSecret, toSecret, type StoredCertificates } from "./secret.ts";

export interface StoreOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly hosts: readonly string[];
  readonly validityMs: number;
  readonly now: () => Date;
}

export interface Ensured {
  readonly certificates: StoredCertificates;
  readonly decision: CertificateDecision;
}

async function read(options: StoreOptions): Promise<KubeObject | undefined> {
  try {
    return await options.client.get<KubeObject>(SECRETS, options.namespace, options.name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** `force`: rotate even when the certificates are still good (operators, tests). */
export async function ensureCertificates(options: StoreOptions, force = false): Promise<Ensured> {
  const secret = await read(options);
  const stored = secret ? fromSecret(secret) : undefined;
  const facts = stored ? await readFacts(stored.caCert, stored.tlsCert) : undefined;
  const now = options.now();
  const decided = decideCertificates(secret !== undefined, facts, options.hosts, now);
  const decision: CertificateDecision = force && decided.action === "keep" ? { action: "rotate", reason: "rotation requested" } : decided;
  if (decision.action === "keep" && stored) return { certificates: stored, decision };

  const issued = await issueCertificates({ hosts: options.hosts, now, validityMs: options.validityMs });
  const certificates = { ...issued, caBundle: bundleOf(issued.caCert, stored?.caCert, now) };
  try {
    if (secret === undefined) await options.client.create(SECRETS, toSecret(options.namespace, options.name, certificates));
    else await options.client.update(SECRETS, toSecret(options.namespace, options.name, certificates, secret.metadata.resourceVersion));
  } catch (err) {
    // Another replica wrote first: use its certificates.
    if (isAlreadyExists(err) || isConflict(err)) return ensureCertificates(options);
    throw err;
  }
  return { certificates, decision };
}
