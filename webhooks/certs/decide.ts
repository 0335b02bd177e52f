/**
 * Pure: what to do with the stored certificates at `now`. Rotation starts when a third of the
 * lifetime is left (cert-manager's default renewBefore), so a replica that was down for a while
 * still rotates long before the API server would see an expired certificate.
 */
import type { CertificateFacts } from "./issue.ts";

export type CertificateDecision =
  | { readonly action: "create" }
  | { readonly action: "rotate"; readonly reason: string }
  | { readonly action: "keep"; readonly rotateAt: Date };

/** When a certificate valid from `notBefore` to `notAfter` should be replaced. */
export const renewalTime = (notBefore: Date, notAfter: Date): Date =>
  new Date(notAfter.getTime() - (notAfter.getTime() - notBefore.getTime()) / 3);

/** `facts` undefined: there is no (readable) Secret. `stored` false: no Secret at all. */
export function decideCertificates(stored: boolean, facts: CertificateFacts | undefined, wantedHosts: readonly string[], now: Date): CertificateDecision {
  if (!stored) return { action: "create" };
  if (facts === undefined) return { action: "rotate", reason: "the Secret's certificates are missing or unreadable" };
  if (!facts.signedByCa) return { action: "rotate", reason: "the serving certificate is not signed by the stored CA" };
  const missing = wantedHosts.filter((h) => !facts.hosts.includes(h));
  if (missing.length > 0) return { action: "rotate", reason: `the serving certificate does not name ${missing.join(", ")}` };
  if (now < facts.notBefore || now < facts.caNotBefore) return { action: "rotate", reason: "the certificates are not valid yet" };
  const rotateAt = new Date(Math.min(renewalTime(facts.notBefore, facts.notAfter).getTime(), renewalTime(facts.caNotBefore, facts.caNotAfter).getTime()));
  if (now >= rotateAt) return { action: "rotate", reason: `a third of the lifetime is left (expires ${facts.notAfter.toISOString()})` };
  return { action: "keep", rotateAt };
}
