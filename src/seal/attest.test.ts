import type { KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { attest, type AttestDeps, type PodIdentity, type TokenReviewStatus } from "./attest.ts";
import { exportPublicJwk, generateKeyPair } from "./keys.ts";

const AUD = "aegis-gateway";
const reviewed: TokenReviewStatus = {
  authenticated: true,
  user: {
    username: "system:serviceaccount:team-a:aegis-agent",
    extra: { "authentication.kubernetes.io/pod-name": ["fix-bug-7-1"], "authentication.kubernetes.io/pod-uid": ["uid-1"] },
  },
  audiences: [AUD],
};

function deps(status: TokenReviewStatus | Error, known = true) {
  const seen: { reviews: [string, readonly string[]][]; issued: [PodIdentity, KeyObject][] } = { reviews: [], issued: [] };
  const d: AttestDeps = {
    audience: AUD,
    tokenReview: async (token, audiences) => {
      seen.reviews.push([token, audiences]);
      if (status instanceof Error) throw status;
      return status;
    },
    issueToken: async (pod, key) => {
      seen.issued.push([pod, key]);
      return known ? { token: "t.o.k", expiresAt: Date.UTC(2026, 10, 22, 12, 10) } : undefined;
    },
  };
  return { d, seen };
}

const keyPair = generateKeyPair();
const request = { serviceAccountToken: "sa-token", publicKey: exportPublicJwk(keyPair.publicKey) };

describe("attestation", () => {
  it("reviews the SA token for the gateway's audience and issues a token for the reviewed pod's key", async () => {
    const { d, seen } = deps(reviewed);
    expect(await attest(request, d)).toEqual({ ok: true, token: "t.o.k", expiresAt: "2026-11-22T12:10:00.000Z" });
    expect(seen.reviews).toEqual([["sa-token", [AUD]]]);
    expect(seen.issued[0]![0]).toEqual({ namespace: "team-a", serviceAccount: "aegis-agent", podName: "fix-bug-7-1", podUid: "uid-1" });
    expect(exportPublicJwk(seen.issued[0]![1])).toEqual(request.publicKey);
  });

  const extra = reviewed.user!.extra!;
  it.each([
    ["no SA token", { ...request, serviceAccountToken: "" }, reviewed, "InvalidAttestationRequest"],
    ["a private JWK", { ...request, publicKey: { ...request.publicKey, d: "AAAA" } }, reviewed, "InvalidAttestationRequest"],
    ["a body that is not an object", "nope", reviewed, "InvalidAttestationRequest"],
    ["the TokenReview call failing", request, new Error("connection refused"), "TokenReviewFailed"],
    ["an unauthenticated token", request, { authenticated: false, error: "invalid bearer token" }, "WorkloadNotAuthenticated"],
    ["a user that is not a service account", request, { ...reviewed, user: { ...reviewed.user, username: "alice" } }, "WorkloadNotAuthenticated"],
    ["a token for another audience", request, { ...reviewed, audiences: ["https://kubernetes.default.svc"] }, "WrongAudience"],
    ["a legacy token bound to no pod", request, { ...reviewed, user: { username: reviewed.user!.username } }, "WorkloadNotPodBound"],
    ["a pod name without uid", request, { ...reviewed, user: { ...reviewed.user, extra: { "authentication.kubernetes.io/pod-name": extra["authentication.kubernetes.io/pod-name"]! } } }, "WorkloadNotPodBound"],
  ] as const)("refuses %s", async (_name, body, status, code) => {
    const { d, seen } = deps(status instanceof Error ? status : (status as TokenReviewStatus));
    expect(await attest(body, d)).toMatchObject({ ok: false, code });
    expect(seen.issued).toEqual([]);
  });

  it("refuses a pod that runs no current iteration", async () => {
    expect(await attest(request, deps(reviewed, false).d)).toMatchObject({ ok: false, code: "UnknownWorkload" });
  });
});
