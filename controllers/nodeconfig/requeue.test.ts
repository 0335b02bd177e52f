import { describe, expect, it } from "vitest";
import { Reason } from "./reasons.ts";
import { nextSecretCheck, SECRET_RECHECK_MS, SECRET_RETRY_MS } from "./requeue.ts";

describe("nextSecretCheck", () => {
  it.each([
    { reason: "a missing Secret is retried soon", ready: Reason.ProviderSecretMissing, read: 1, want: { requeueAfter: SECRET_RETRY_MS } },
    { reason: "a missing key is retried soon", ready: Reason.ProviderSecretKeyMissing, read: 2, want: { requeueAfter: SECRET_RETRY_MS } },
    { reason: "an unreadable Secret is retried soon", ready: Reason.ProviderSecretUnreadable, read: 1, want: { requeueAfter: SECRET_RETRY_MS } },
    { reason: "a ready config with Secrets rechecks them now and then", ready: Reason.NodesSelected, read: 1, want: { requeueAfter: SECRET_RECHECK_MS } },
    { reason: "so does one that fails later in the chain", ready: Reason.NoNodesMatched, read: 1, want: { requeueAfter: SECRET_RECHECK_MS } },
    { reason: "a config that reads no Secret waits for changes", ready: Reason.NodesSelected, read: 0, want: {} },
    { reason: "even when its reason is about Secrets (not reachable, but total)", ready: Reason.ProviderSecretMissing, read: 0, want: {} },
    { reason: "no Ready condition with Secrets rechecks them", ready: undefined, read: 1, want: { requeueAfter: SECRET_RECHECK_MS } },
  ])("$reason", ({ ready, read, want }) => {
    expect(nextSecretCheck(ready, read)).toEqual(want);
  });

  it("a created Secret is noticed within seconds, a deleted one within minutes", () => {
    expect(SECRET_RETRY_MS).toBe(5_000);
    expect(SECRET_RECHECK_MS).toBe(300_000);
  });
});
