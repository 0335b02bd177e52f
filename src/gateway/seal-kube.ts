// SEAL's API server calls: TokenReview (attestation), the pod an attested token is bound to, and
// the gateway's token signing key, kept in a Secret in the operator's namespace so that restarts
// and replicas sign and verify with the same key (kid rotation is not done yet).
import { createPrivateKey, createPublicKey } from "node:crypto";
import type { TokenReviewStatus } from "../seal/attest.ts";
import { generateKeyPair } from "../seal/keys.ts";
import { isAlreadyExists, isNotFound } from "../kube/errors.ts";
import { controllerOf } from "../kube/owners.ts";
import { PODS, SECRETS } from "../kube/resources.ts";
import type { KubeClient, KubeObject, Resource } from "../kube/types.ts";
import type { PodFacts, SealSigningKey } from "./seal.ts";

export const TOKENREVIEWS: Resource = { group: "authentication.k8s.io", version: "v1", plural: "tokenreviews", kind: "TokenReview", namespaced: false };
export const SEAL_KEY_SECRET = "aegis-seal-signing-key";
const ITERATION_LABEL = "aegis.dev/iteration";
const KID = "gw-1";

export function kubeTokenReview(client: KubeClient): (token: string, audiences: readonly string[]) => Promise<TokenReviewStatus> {
  return async (token, audiences) => {
    const review = await client.create<KubeObject & { status?: TokenReviewStatus }>(TOKENREVIEWS, {
      apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", metadata: {}, spec: { token, audiences: [...audiences] },
    } as KubeObject);
    return review.status ?? {};
  };
}

export function kubePodFacts(client: KubeClient): (namespace: string, name: string) => Promise<PodFacts | undefined> {
  return async (namespace, name) => {
    let pod: KubeObject;
    try {
      pod = await client.get(PODS, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const owner = controllerOf(pod);
    const iteration = Number(pod.metadata.labels?.[ITERATION_LABEL]);
    if (owner?.kind !== "Execution" || pod.metadata.uid === undefined || !Number.isSafeInteger(iteration)) return undefined;
    return { uid: pod.metadata.uid, executionUid: owner.uid, iteration };
  };
}

/** Pure: the signing key from the Secret's data, or undefined when it holds none. */
export function keyFromSecret(secret: KubeObject & { data?: Record<string, string> }): SealSigningKey | undefined {
  const pem = secret.data?.["private.pem"];
  if (pem === undefined) return undefined;
  const privateKey = createPrivateKey(Buffer.from(pem, "base64").toString("utf8"));
  if (privateKey.asymmetricKeyType !== "ed25519") return undefined;
  const kid = secret.data?.["kid"] === undefined ? KID : Buffer.from(secret.data["kid"], "base64").toString("utf8");
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

/** The key in `<namespace>/aegis-seal-signing-key`, created (a fresh Ed25519 key) when absent. */
export async function loadSigningKey(client: KubeClient, namespace: string): Promise<SealSigningKey> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const existing = keyFromSecret(await client.get(SECRETS, namespace, SEAL_KEY_SECRET));
      if (existing === undefined) throw new Error(`Secret ${namespace}/${SEAL_KEY_SECRET} holds no Ed25519 private.pem`);
      return existing;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const pair = generateKeyPair();
    const pem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    try {
      await client.create(SECRETS, {
        apiVersion: "v1", kind: "Secret", metadata: { name: SEAL_KEY_SECRET, namespace, labels: { "app.kubernetes.io/part-of": "aegis" } },
        type: "Opaque", data: { "private.pem": Buffer.from(pem).toString("base64"), kid: Buffer.from(KID).toString("base64") },
      } as KubeObject);
      return { kid: KID, privateKey: pair.privateKey, publicKey: pair.publicKey };
    } catch (error) {
      // Another replica created it first: read theirs.
      if (!isAlreadyExists(error)) throw error;
    }
  }
  throw new Error(`could not read or create Secret ${namespace}/${SEAL_KEY_SECRET}`);
}
