// Attestation: the pod proves it is the iteration pod (its projected service-account token, checked
// by the API server's TokenReview) and names its envelope key; the gateway answers with a security
// token binding that key to the pod's execution and iteration. The TokenReview call and the
// pod → execution lookup + signing are injected, so this is the decision alone.
import type { KeyObject } from "node:crypto";
import { fail, type SealResult } from "./codes.ts";
import { importPublicJwk, type Ed25519PublicJwk } from "./keys.ts";

export interface AttestRequest {
  /** The pod's projected service-account token (audience: the gateway's). */
  readonly serviceAccountToken: string;
  readonly publicKey: Ed25519PublicJwk;
}

export interface AttestResponse {
  readonly token: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** authentication.k8s.io/v1 TokenReview `status`, as the API server answers it. */
export interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly user?: {
    readonly username?: string;
    readonly uid?: string;
    readonly groups?: readonly string[];
    readonly extra?: Readonly<Record<string, readonly string[]>>;
  };
  readonly audiences?: readonly string[];
  readonly error?: string;
}

/** Who the API server says the caller is: a pod, through its bound service-account token. */
export interface PodIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly podName: string;
  readonly podUid: string;
}

export interface AttestDeps {
  /** Creates a TokenReview with spec.token and spec.audiences [audience]; answers its status. */
  readonly tokenReview: (token: string, audiences: readonly string[]) => Promise<TokenReviewStatus>;
  /** Finds the pod's running execution and iteration and signs a token for `publicKey`;
   *  undefined when the pod is no iteration pod of a running execution. */
  readonly issueToken: (pod: PodIdentity, publicKey: KeyObject) => Promise<{ token: string; expiresAt: number } | undefined>;
  /** The audience projected service-account tokens must be issued for. */
  readonly audience: string;
}

const MAX_SA_TOKEN_CHARS = 16_384;
const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
const POD_NAME = "authentication.kubernetes.io/pod-name";
const POD_UID = "authentication.kubernetes.io/pod-uid";

export async function attest(request: unknown, deps: AttestDeps): Promise<SealResult<AttestResponse>> {
  const r = (typeof request === "object" && request !== null ? request : {}) as Record<string, unknown>;
  const saToken = r.serviceAccountToken;
  if (typeof saToken !== "string" || saToken.length === 0 || saToken.length > MAX_SA_TOKEN_CHARS) {
    return fail("InvalidAttestationRequest", "serviceAccountToken must be a non-empty string");
  }
  const publicKey = importPublicJwk(r.publicKey);
  if (publicKey === undefined) return fail("InvalidAttestationRequest", "publicKey must be an Ed25519 public JWK { kty, crv, x }");
  let status: TokenReviewStatus;
  try {
    status = await deps.tokenReview(saToken, [deps.audience]);
  } catch (error) {
    // Fail closed: no review, no token.
    return fail("TokenReviewFailed", `TokenReview failed: ${(error as Error).message}`);
  }
  const pod = reviewedPod(status, deps.audience);
  if (!pod.ok) return pod;
  const issued = await deps.issueToken(pod.pod, publicKey);
  if (issued === undefined) return fail("UnknownWorkload", `pod ${pod.pod.namespace}/${pod.pod.podName} is no iteration pod of a running execution`);
  return { ok: true, token: issued.token, expiresAt: new Date(issued.expiresAt).toISOString() };
}

/** The pod a TokenReview status vouches for. Pure. */
export function reviewedPod(status: TokenReviewStatus, audience: string): SealResult<{ pod: PodIdentity }> {
  if (status.authenticated !== true) return fail("WorkloadNotAuthenticated", `service-account token not authenticated${status.error ? `: ${status.error}` : ""}`);
  if (!(status.audiences ?? []).includes(audience)) return fail("WrongAudience", `service-account token is not for audience "${audience}"`);
  const user = SA_USER.exec(status.user?.username ?? "");
  if (user === null) return fail("WorkloadNotAuthenticated", "the token's user is not a service account");
  // Only a bound (projected) token names its pod; a legacy Secret token does not, and could be
  // used from anywhere for as long as the Secret exists.
  const podName = single(status.user?.extra?.[POD_NAME]);
  const podUid = single(status.user?.extra?.[POD_UID]);
  if (podName === undefined || podUid === undefined) return fail("WorkloadNotPodBound", "service-account token is not bound to a pod");
  return { ok: true, pod: { namespace: user[1]!, serviceAccount: user[2]!, podName, podUid } };
}

function single(values: readonly string[] | undefined): string | undefined {
  return values?.length === 1 && values[0]!.length > 0 ? values[0] : undefined;
}
